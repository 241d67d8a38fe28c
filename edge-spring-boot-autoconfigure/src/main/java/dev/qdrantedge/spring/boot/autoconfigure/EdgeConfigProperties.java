package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@code qdrant.edge.vectors}, {@code sparse-vectors} and {@code on-disk-payload} into the engine's
 * {@link EdgeConfig}. Values are parsed and checked by the engine's own types ({@link Distance#fromJson},
 * {@link VectorDatatype#fromJson}, the records' constructors); their messages are prefixed with the property.
 */
final class EdgeConfigProperties {

    /** Qdrant's only multivector comparator. */
    static final String MAX_SIM = "max_sim";

    private EdgeConfigProperties() {
    }

    static EdgeConfig toEdgeConfig(EdgeProperties properties) {
        if (!properties.hasVectors()) {
            throw new InvalidEdgePropertyException("vectors",
                    "no vector is configured (qdrant.edge.vectors and qdrant.edge.sparse-vectors are empty)");
        }
        Map<String, VectorParams> dense = new LinkedHashMap<>();
        properties.getVectors().forEach((name, vector) -> dense.put(name, toVectorParams(name, vector)));
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
        properties.getSparseVectors().forEach((name, vector) -> sparse.put(name, toSparseVectorParams(name, vector)));
        return InvalidEdgePropertyException.converting("sparse-vectors",
                () -> new EdgeConfig(dense, sparse, properties.getOnDiskPayload(), null, null, null));
    }

    static VectorParams toVectorParams(String name, EdgeProperties.Vector vector) {
        String at = "vectors." + name;
        if (vector.getDistance() == null) {
            throw new InvalidEdgePropertyException(at + ".distance", "must be set (Cosine, Euclid, Dot or Manhattan)");
        }
        Distance distance = InvalidEdgePropertyException.converting(at + ".distance",
                () -> Distance.fromJson(vector.getDistance()));
        VectorDatatype datatype = vector.getDatatype() == null ? VectorDatatype.FLOAT32
                : InvalidEdgePropertyException.converting(at + ".datatype",
                        () -> VectorDatatype.fromJson(vector.getDatatype().toLowerCase(Locale.ROOT)));
        boolean multivector = multivector(at, vector.getMultivector());
        HnswConfig hnsw = hnsw(at + ".hnsw", vector.getHnsw());
        return InvalidEdgePropertyException.converting(at + ".size",
                () -> new VectorParams(vector.getSize(), distance, datatype, multivector, vector.getOnDisk(), hnsw));
    }

    private static boolean multivector(String at, EdgeProperties.Multivector multivector) {
        String comparator = multivector.getComparator();
        if (comparator == null) {
            return false;
        }
        if (!MAX_SIM.equalsIgnoreCase(comparator.trim())) {
            throw new InvalidEdgePropertyException(at + ".multivector.comparator",
                    "unknown comparator '" + comparator + "' (expected " + MAX_SIM + ")");
        }
        return true;
    }

    private static HnswConfig hnsw(String at, EdgeProperties.Hnsw hnsw) {
        if (!hnsw.specified()) {
            return null;
        }
        HnswConfig defaults = HnswConfig.defaults();
        return InvalidEdgePropertyException.converting(at, () -> new HnswConfig(
                hnsw.getM() != null ? hnsw.getM() : defaults.m(),
                hnsw.getEfConstruct() != null ? hnsw.getEfConstruct() : defaults.efConstruct(),
                hnsw.getFullScanThreshold() != null ? hnsw.getFullScanThreshold() : defaults.fullScanThreshold(),
                defaults.maxIndexingThreads(), hnsw.getOnDisk(), null, null));
    }

    static SparseVectorParams toSparseVectorParams(String name, EdgeProperties.SparseVector vector) {
        String modifier = vector.getModifier() == null ? "none" : vector.getModifier().trim().toLowerCase(Locale.ROOT);
        if (!modifier.equals("idf") && !modifier.equals("none")) {
            throw new InvalidEdgePropertyException("sparse-vectors." + name + ".modifier",
                    "unknown modifier '" + vector.getModifier() + "' (expected idf or none)");
        }
        return new SparseVectorParams(modifier.equals("idf"), vector.getOnDisk(), null);
    }
}
