package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One point in Qdrant's REST shape: {@code id} (an unsigned integer or a UUID string), {@code vector} (an
 * array for the default vector, an array of arrays for a default multivector, or an object of named vectors
 * whose values are arrays, arrays of arrays, or sparse {@code {"indices": [...], "values": [...]}}) and an
 * optional {@code payload} object. Only the shape is checked here; dimensions and names are checked against
 * the shard's configuration by the caller.
 */
final class PointJson {

    private static final Set<String> FIELDS = Set.of("id", "vector", "payload");
    private static final BigInteger MAX_ID = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PointJson() {
    }

    /** @throws IllegalArgumentException saying which field is wrong and how */
    static PointStruct parse(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with \"id\" and \"vector\"");
        }
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" (a point has id, vector, payload)");
            }
        }
        PointId id = id(node.get("id"));
        JsonNode vector = node.get("vector");
        if (vector == null || vector.isNull()) {
            throw new IllegalArgumentException("point " + id + ": \"vector\" is missing");
        }
        Map<String, VectorValue> vectors = new LinkedHashMap<>();
        if (vector.isArray()) {
            vectors.put("", vector(vector, "vector"));
        } else if (vector.isObject()) {
            for (Map.Entry<String, JsonNode> e : vector.properties()) {
                vectors.put(e.getKey(), vector(e.getValue(), "vector." + e.getKey()));
            }
        } else {
            throw new IllegalArgumentException("point " + id + ": \"vector\" must be an array or an object of named"
                    + " vectors, got " + vector);
        }
        JsonNode payload = node.get("payload");
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw new IllegalArgumentException("point " + id + ": \"payload\" must be an object, got " + payload);
        }
        Optional<ObjectNode> stored = payload == null || payload.isNull() ? Optional.empty()
                : Optional.of((ObjectNode) payload);
        return new PointStruct(id, vectors, stored);
    }

    private static PointId id(JsonNode id) {
        if (id == null || id.isNull()) {
            throw new IllegalArgumentException("\"id\" is missing");
        }
        if (id.isIntegralNumber()) {
            BigInteger value = id.bigIntegerValue();
            if (value.signum() < 0 || value.compareTo(MAX_ID) > 0) {
                throw new IllegalArgumentException("\"id\" " + id + " is not an unsigned 64-bit integer");
            }
            return PointId.of(value.longValue());
        }
        if (id.isString() && UUID_TEXT.matcher(id.asString()).matches()) {
            return PointId.of(UUID.fromString(id.asString()));
        }
        throw new IllegalArgumentException("\"id\" must be an unsigned integer or a UUID string, got " + id);
    }

    private static VectorValue vector(JsonNode value, String at) {
        if (value.isObject()) {
            return sparse(value, at);
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(at + ": expected an array, an array of arrays or a sparse vector,"
                    + " got " + value);
        }
        if (!value.isEmpty() && value.get(0).isArray()) {
            float[][] rows = new float[value.size()][];
            for (int i = 0; i < rows.length; i++) {
                if (!value.get(i).isArray()) {
                    throw new IllegalArgumentException(at + "[" + i + "]: expected an array of numbers");
                }
                rows[i] = floats(value.get(i), at + "[" + i + "]");
            }
            return new MultiDenseVector(rows);
        }
        return new DenseVector(floats(value, at));
    }

    private static SparseVector sparse(JsonNode value, String at) {
        JsonNode indices = value.get("indices");
        JsonNode values = value.get("values");
        if (indices == null || !indices.isArray() || values == null || !values.isArray() || value.size() != 2) {
            throw new IllegalArgumentException(at + ": a sparse vector is {\"indices\": [...], \"values\": [...]}");
        }
        if (indices.size() != values.size()) {
            throw new IllegalArgumentException(at + ": " + indices.size() + " indices but " + values.size()
                    + " values");
        }
        int[] ix = new int[indices.size()];
        for (int i = 0; i < ix.length; i++) {
            JsonNode index = indices.get(i);
            if (!index.isIntegralNumber() || !index.canConvertToLong() || index.longValue() < 0
                    || index.longValue() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(at + ".indices[" + i + "]: expected an unsigned 32-bit integer, got "
                        + index);
            }
            ix[i] = (int) index.longValue();
        }
        return new SparseVector(ix, floats(values, at + ".values"));
    }

    private static float[] floats(JsonNode array, String at) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isNumber()) {
                throw new IllegalArgumentException(at + "[" + i + "]: expected a number, got " + n);
            }
            out[i] = (float) n.doubleValue();
        }
        return out;
    }
}
