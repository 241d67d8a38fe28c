package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorPreprocessing;
import dev.qdrantedge.engine.vectors.VectorValue;

/**
 * A query checked against the shard's configuration and preprocessed as Qdrant preprocesses it before
 * scoring: Cosine queries are normalized (except for uint8 storages, which compare raw bytes), then the
 * query is converted to the storage's element type (float16 rounding, or Rust's saturating {@code as u8});
 * sparse queries are sorted by dimension. A dense query for a multivector is a multivector of one vector.
 */
final class PreparedQuery {

    enum Kind { DENSE, MULTI, SPARSE }

    final String name;
    final Kind kind;
    final Distance distance;
    final VectorDatatype datatype;
    final int dim;
    final boolean idf;
    final float[] dense;
    final float[][] multi;
    final SparseVector sparse;

    private PreparedQuery(String name, Kind kind, Distance distance, VectorDatatype datatype, int dim, boolean idf,
            float[] dense, float[][] multi, SparseVector sparse) {
        this.name = name;
        this.kind = kind;
        this.distance = distance;
        this.datatype = datatype;
        this.dim = dim;
        this.idf = idf;
        this.dense = dense;
        this.multi = multi;
        this.sparse = sparse;
    }

    static PreparedQuery prepare(EdgeConfig config, String name, VectorValue query) {
        VectorParams dense = config.vectors().get(name);
        if (dense != null) {
            return prepareDense(name, dense, query);
        }
        SparseVectorParams sparse = config.sparseVectors().get(name);
        if (sparse != null) {
            if (!(query instanceof SparseVector s)) {
                throw new InvalidSearchException("vector '" + name + "' is sparse but the query is a "
                        + (query instanceof MultiDenseVector ? "multi-dense" : "dense") + " vector");
            }
            checkSparse(s);
            return new PreparedQuery(name, Kind.SPARSE, Distance.DOT, null, 0, sparse.idf(), null, null,
                    VectorPreprocessing.preprocess(s));
        }
        throw new InvalidSearchException("Not existing vector name error: " + (name.isEmpty() ? "\"\" (the default "
                + "vector)" : name) + "; the shard has " + names(config));
    }

    private static PreparedQuery prepareDense(String name, VectorParams params, VectorValue query) {
        Distance distance = params.distance();
        VectorDatatype datatype = params.datatype();
        int dim = params.size();
        if (query instanceof SparseVector) {
            throw new InvalidSearchException("vector '" + name + "' is dense but the query is a sparse vector");
        }
        if (query instanceof MultiDenseVector m) {
            if (!params.multivector()) {
                throw new InvalidSearchException("vector '" + name + "' is a single dense vector but the query is "
                        + "a multi-dense vector");
            }
            if (m.vectors().length == 0) {
                throw new InvalidSearchException("the multi-dense query vector has no vectors");
            }
            float[][] rows = new float[m.vectors().length][];
            for (int i = 0; i < rows.length; i++) {
                checkDim(dim, m.vectors()[i].length);
                rows[i] = VectorPreprocessing.preprocess(distance, datatype, m.vectors()[i]);
            }
            return new PreparedQuery(name, Kind.MULTI, distance, datatype, dim, false, null, rows, null);
        }
        float[] values = ((DenseVector) query).values();
        checkDim(dim, values.length);
        float[] prepared = VectorPreprocessing.preprocess(distance, datatype, values);
        if (params.multivector()) {
            return new PreparedQuery(name, Kind.MULTI, distance, datatype, dim, false, null,
                    new float[][] {prepared}, null);
        }
        return new PreparedQuery(name, Kind.DENSE, distance, datatype, dim, false, prepared, null, null);
    }

    private static void checkDim(int expected, int received) {
        if (expected != received) {
            throw new InvalidSearchException("Vector dimension error: expected dim: " + expected + ", got "
                    + received);
        }
    }

    private static void checkSparse(SparseVector s) {
        int[] indices = s.indices();
        int[] sorted = indices.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
        }
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new InvalidSearchException("sparse query vector: indices must be unique, "
                        + Integer.toUnsignedString(sorted[i] ^ Integer.MIN_VALUE) + " appears more than once");
            }
        }
    }

    private static String names(EdgeConfig config) {
        java.util.List<String> all = new java.util.ArrayList<>();
        config.vectors().keySet().forEach(n -> all.add(n.isEmpty() ? "\"\" (default)" : n));
        all.addAll(config.sparseVectors().keySet());
        return all.isEmpty() ? "no vectors" : "vectors " + String.join(", ", all);
    }
}
