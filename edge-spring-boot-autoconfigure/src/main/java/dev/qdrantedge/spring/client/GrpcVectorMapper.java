package dev.qdrantedge.spring.client;

import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import io.qdrant.client.grpc.Points;
import java.util.Map;

/**
 * Converts a point's vectors to gRPC: the default vector alone (name {@code ""}) as a single vector, any
 * other combination as named vectors (Qdrant's default vector is the one named {@code ""}). Dense,
 * multi-dense and sparse values use the typed forms, not the deprecated flat ones.
 */
final class GrpcVectorMapper {

    private GrpcVectorMapper() {
    }

    static Points.Vectors vectors(Map<String, VectorValue> vectors) {
        if (vectors.size() == 1 && vectors.containsKey("") && !(vectors.get("") instanceof SparseVector)) {
            return Points.Vectors.newBuilder().setVector(vector(vectors.get(""))).build();
        }
        Points.NamedVectors.Builder named = Points.NamedVectors.newBuilder();
        for (Map.Entry<String, VectorValue> e : vectors.entrySet()) {
            named.putVectors(e.getKey(), vector(e.getValue()));
        }
        return Points.Vectors.newBuilder().setVectors(named).build();
    }

    static Points.Vector vector(VectorValue value) {
        Points.Vector.Builder b = Points.Vector.newBuilder();
        if (value instanceof DenseVector dense) {
            b.setDense(dense(dense.values()));
        } else if (value instanceof MultiDenseVector multi) {
            Points.MultiDenseVector.Builder m = Points.MultiDenseVector.newBuilder();
            for (float[] row : multi.vectors()) {
                m.addVectors(dense(row));
            }
            b.setMultiDense(m);
        } else {
            SparseVector sparse = (SparseVector) value;
            Points.SparseVector.Builder s = Points.SparseVector.newBuilder();
            for (int i = 0; i < sparse.indices().length; i++) {
                s.addIndices(sparse.indices()[i]);
                s.addValues(sparse.values()[i]);
            }
            b.setSparse(s);
        }
        return b.build();
    }

    private static Points.DenseVector dense(float[] values) {
        Points.DenseVector.Builder d = Points.DenseVector.newBuilder();
        for (float v : values) {
            d.addData(v);
        }
        return d.build();
    }
}
