package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Shard configurations after {@code create_vector_name} / {@code delete_vector_name}. */
final class VectorNameChanges {

    private VectorNameChanges() {
    }

    /**
     * Adds a vector as recorded: {@code {"dense":{"size":..,"distance":..,"multivector_config":..,"datatype":..}}}
     * or {@code {"sparse":{"modifier":..}}}.
     */
    static EdgeConfig withVector(EdgeConfig config, String name, JsonNode recorded) {
        Map<String, VectorParams> dense = new LinkedHashMap<>(config.vectors());
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>(config.sparseVectors());
        if (recorded.has("dense")) {
            JsonNode d = recorded.get("dense");
            JsonNode datatype = d.path("datatype");
            JsonNode multi = d.path("multivector_config");
            dense.put(name, new VectorParams(d.path("size").asInt(), Distance.fromJson(d.path("distance").asString()),
                    datatype.isString() ? VectorDatatype.fromJson(datatype.asString()) : VectorDatatype.FLOAT32,
                    !multi.isMissingNode() && !multi.isNull(), null));
        } else if (recorded.has("sparse")) {
            sparse.put(name, new SparseVectorParams("idf".equals(recorded.get("sparse").path("modifier").asString("none"))));
        } else {
            throw new IllegalArgumentException("vector '" + name + "': unknown vector configuration " + recorded);
        }
        return config.withVectors(dense, sparse);
    }

    static EdgeConfig withoutVector(EdgeConfig config, String name) {
        Map<String, VectorParams> dense = new LinkedHashMap<>(config.vectors());
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>(config.sparseVectors());
        dense.remove(name);
        sparse.remove(name);
        return config.withVectors(dense, sparse);
    }
}
