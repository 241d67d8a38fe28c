package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an update against a shard's configuration before anything is written, so that a bad update
 * changes nothing. Stricter than Qdrant in one respect: NaN and infinite vector values are refused, since
 * they make every distance meaningless.
 */
public final class OperationValidator {

    private final EdgeConfig config;

    public OperationValidator(EdgeConfig config) {
        this.config = config;
    }

    /** @throws InvalidOperationException naming the point and vector or field at fault */
    public void validate(UpdateOperation op) {
        if (op instanceof UpsertPoints upsert) {
            points(upsert.points());
        } else if (op instanceof ConditionalUpsertPoints conditional) {
            points(conditional.points());
        } else if (op instanceof SyncPoints sync) {
            points(sync.points());
        } else if (op instanceof UpdateVectors update) {
            for (PointVectors p : update.points()) {
                if (p.vectors().isEmpty()) {
                    throw new InvalidOperationException("point " + p.id() + ": update_vectors needs at least one vector");
                }
                vectors(p.id(), p.vectors());
            }
        } else if (op instanceof DeleteVectors delete) {
            vectorNames(delete.vectorNames());
        } else if (op instanceof DeleteVectorsByFilter delete) {
            vectorNames(delete.vectorNames());
        }
    }

    private void points(List<PointStruct> points) {
        Set<PointId> seen = new HashSet<>();
        for (PointStruct p : points) {
            if (!seen.add(p.id())) {
                throw new InvalidOperationException("point " + p.id() + " appears twice in one upsert");
            }
            vectors(p.id(), p.vectors());
        }
    }

    private void vectorNames(List<String> names) {
        for (String name : names) {
            if (!config.vectors().containsKey(name) && !config.sparseVectors().containsKey(name)) {
                throw new InvalidOperationException(unknownVector(name));
            }
        }
    }

    private void vectors(PointId id, Map<String, VectorValue> vectors) {
        for (Map.Entry<String, VectorValue> e : vectors.entrySet()) {
            String name = e.getKey();
            String at = "point " + id + ", vector '" + name + "'";
            VectorValue value = e.getValue();
            if (value instanceof SparseVector sparse) {
                if (!config.sparseVectors().containsKey(name)) {
                    throw new InvalidOperationException(config.vectors().containsKey(name)
                            ? at + ": is a dense vector, but a sparse vector was given" : at + ": " + unknownVector(name));
                }
                sparse(at, sparse);
                continue;
            }
            VectorParams params = config.vectors().get(name);
            if (params == null) {
                throw new InvalidOperationException(config.sparseVectors().containsKey(name)
                        ? at + ": is a sparse vector, but a dense vector was given" : at + ": " + unknownVector(name));
            }
            if (value instanceof DenseVector dense) {
                if (params.multivector()) {
                    throw new InvalidOperationException(at + ": is a multivector, but a single vector was given");
                }
                dense(at, dense.values(), params.size());
            } else {
                if (!params.multivector()) {
                    throw new InvalidOperationException(at + ": is a single vector, but a multivector was given");
                }
                float[][] rows = ((MultiDenseVector) value).vectors();
                if (rows.length == 0) {
                    throw new InvalidOperationException(at + ": a multivector needs at least one vector");
                }
                for (int r = 0; r < rows.length; r++) {
                    dense(at + " row " + r, rows[r], params.size());
                }
            }
        }
    }

    private static void dense(String at, float[] values, int size) {
        if (values.length != size) {
            throw new InvalidOperationException(at + ": expected dimension " + size + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidOperationException(at + ": value at index " + i + " is " + values[i]
                        + "; vectors must be finite");
            }
        }
    }

    private static void sparse(String at, SparseVector sparse) {
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < sparse.indices().length; i++) {
            if (!indices.add(sparse.indices()[i])) {
                throw new InvalidOperationException(at + ": index " + Integer.toUnsignedString(sparse.indices()[i])
                        + " appears twice");
            }
            if (!Float.isFinite(sparse.values()[i])) {
                throw new InvalidOperationException(at + ": value for index "
                        + Integer.toUnsignedString(sparse.indices()[i]) + " is " + sparse.values()[i]
                        + "; vectors must be finite");
            }
        }
    }

    private String unknownVector(String name) {
        Set<String> known = new HashSet<>(config.vectors().keySet());
        known.addAll(config.sparseVectors().keySet());
        return "no vector named '" + name + "' in this shard (it has " + known.stream().sorted()
                .map(n -> n.isEmpty() ? "the default vector" : "'" + n + "'").toList() + ")";
    }
}
