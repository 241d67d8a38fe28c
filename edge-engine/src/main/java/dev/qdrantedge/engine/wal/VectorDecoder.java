package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Decodes vectors as the WAL stores them (raw user input, before any normalization). Qdrant's vector
 * enums are untagged, so the shape decides: an array of numbers is dense, an array of arrays is a
 * multi-vector, a map with {@code indices} and {@code values} is sparse, and at the top level of a
 * point a map is a set of named vectors. The default vector gets the name {@code ""}.
 */
final class VectorDecoder {

    /** Name of the default (unnamed) vector. */
    static final String DEFAULT = "";

    private VectorDecoder() {
    }

    /** A point's vectors ({@code VectorStructPersisted}): one default vector or named vectors. */
    static Map<String, VectorValue> pointVectors(JsonNode node, String where) {
        Map<String, VectorValue> out = new LinkedHashMap<>();
        if (node != null && node.isArray()) {
            out.put(DEFAULT, denseOrMulti(node, where));
            return out;
        }
        if (node == null || !node.isObject()) {
            throw new WalDecodeException(where + ": expected vectors (array or map of named vectors), found "
                    + CborValues.kind(node));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), vector(e.getValue(), where + "." + quoted(e.getKey())));
        }
        return out;
    }

    /** One vector ({@code VectorPersisted}): dense, sparse or multi-dense. */
    static VectorValue vector(JsonNode node, String where) {
        if (node != null && node.isArray()) {
            return denseOrMulti(node, where);
        }
        if (node != null && node.isObject()) {
            return sparse(node, where);
        }
        throw new WalDecodeException(where + ": expected a vector, found " + CborValues.kind(node));
    }

    /**
     * Column-wise vectors of a batch ({@code BatchVectorStructPersisted}) turned into one map per point.
     */
    static List<Map<String, VectorValue>> batchVectors(JsonNode node, int points, String where) {
        List<Map<String, VectorValue>> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            out.add(new LinkedHashMap<>());
        }
        if (node != null && node.isArray()) {
            column(node, DEFAULT, points, out, where);
            return out;
        }
        if (node == null || !node.isObject()) {
            throw new WalDecodeException(where + ": expected batch vectors (array or map), found "
                    + CborValues.kind(node));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            column(e.getValue(), e.getKey(), points, out, where + "." + quoted(e.getKey()));
        }
        return out;
    }

    private static void column(JsonNode node, String name, int points, List<Map<String, VectorValue>> out,
            String where) {
        CborValues.array(node, where);
        if (node.size() != points) {
            throw new WalDecodeException(where + ": " + node.size() + " vectors for " + points + " points");
        }
        for (int i = 0; i < points; i++) {
            out.get(i).put(name, vector(node.get(i), where + "[" + i + "]"));
        }
    }

    private static VectorValue denseOrMulti(JsonNode node, String where) {
        if (node.size() > 0 && node.get(0).isArray()) {
            float[][] vectors = new float[node.size()][];
            for (int i = 0; i < vectors.length; i++) {
                JsonNode row = node.get(i);
                if (!row.isArray()) {
                    throw new WalDecodeException(where + "[" + i + "]: expected an array in a multi-vector, found "
                            + CborValues.kind(row));
                }
                vectors[i] = floats(row, where + "[" + i + "]");
            }
            return new MultiDenseVector(vectors);
        }
        return new DenseVector(floats(node, where));
    }

    private static SparseVector sparse(JsonNode node, String where) {
        CborStruct struct = CborStruct.of(node, where);
        JsonNode indicesNode = CborValues.array(struct.required("indices"), struct.where("indices"));
        float[] values = floats(CborValues.array(struct.required("values"), struct.where("values")),
                struct.where("values"));
        struct.noOthers();
        int[] indices = new int[indicesNode.size()];
        for (int i = 0; i < indices.length; i++) {
            JsonNode index = indicesNode.get(i);
            if (!index.isIntegralNumber() || index.bigIntegerValue().signum() < 0
                    || index.bigIntegerValue().bitLength() > 32) {
                throw new WalDecodeException(where + ".indices[" + i + "]: expected an unsigned 32-bit number, found "
                        + CborValues.kind(index));
            }
            indices[i] = (int) index.longValue();
        }
        if (indices.length != values.length) {
            throw new WalDecodeException(where + ": sparse vector has " + indices.length + " indices but "
                    + values.length + " values");
        }
        return new SparseVector(indices, values);
    }

    /** Numbers as {@code f32}; CBOR half and single floats convert exactly, doubles round as Rust's {@code as f32}. */
    private static float[] floats(JsonNode array, String where) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isNumber()) {
                throw new WalDecodeException(where + "[" + i + "]: expected a number, found " + CborValues.kind(n));
            }
            out[i] = n.isFloat() ? n.floatValue() : (float) n.doubleValue();
        }
        return out;
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
