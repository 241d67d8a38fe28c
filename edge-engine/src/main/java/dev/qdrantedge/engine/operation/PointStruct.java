package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A point as an upsert carries it: id, vectors by name and the payload that replaces the stored one.
 * The default (unnamed) vector has the name {@code ""}. Vectors are the raw user input: Cosine
 * vectors are not normalized yet.
 *
 * @param id the point id
 * @param vectors vectors by name, in the order they were written
 * @param payload the payload, empty when the upsert carried none ({@code null} in Qdrant)
 */
public record PointStruct(PointId id, Map<String, VectorValue> vectors, Optional<ObjectNode> payload) {

    public PointStruct {
        Objects.requireNonNull(id, "id");
        vectors = OrderedMaps.copyOf(vectors);
        Objects.requireNonNull(payload, "payload");
    }
}
