package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import java.util.Objects;

/**
 * New vectors for one existing point, as {@link UpdateVectors} carries them; vectors not named here
 * are left as they are.
 *
 * @param id the point id
 * @param vectors vectors by name; the default vector has the name {@code ""}
 */
public record PointVectors(PointId id, Map<String, VectorValue> vectors) {

    public PointVectors {
        Objects.requireNonNull(id, "id");
        vectors = OrderedMaps.copyOf(vectors);
    }
}
