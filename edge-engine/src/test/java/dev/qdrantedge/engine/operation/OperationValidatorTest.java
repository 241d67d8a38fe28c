package dev.qdrantedge.engine.operation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationValidatorTest {

    private final OperationValidator validator = new OperationValidator(new EdgeConfig(
            Map.of("text", new VectorParams(3, Distance.COSINE),
                    "colbert", new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null)),
            Map.of("words", new SparseVectorParams(true))));

    @Test
    void acceptsWellFormedPointsIncludingPartialVectorSets() {
        assertThatCode(() -> validator.validate(upsert(1, Map.of("text", dense(1, 2, 3),
                "colbert", new MultiDenseVector(new float[][] {{1, 2}, {3, 4}}),
                "words", new SparseVector(new int[] {-1, 3}, new float[] {0.5f, 1}))))).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(upsert(2, Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void refusesAWrongDimension() {
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("text", dense(1, 2)))))
                .isInstanceOf(InvalidOperationException.class)
                .hasMessage("point 7, vector 'text': expected dimension 3, got 2");
    }

    @Test
    void refusesNonFiniteValues() {
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("text", dense(1, Float.NaN, 2)))))
                .hasMessageContaining("value at index 1 is NaN");
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("words",
                new SparseVector(new int[] {4}, new float[] {Float.POSITIVE_INFINITY})))))
                .hasMessageContaining("value for index 4 is Infinity");
    }

    @Test
    void refusesUnknownNamesAndTheWrongKindOfVector() {
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("image", dense(1, 2, 3)))))
                .hasMessageContaining("no vector named 'image'").hasMessageContaining("'text'");
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("words", dense(1, 2, 3)))))
                .hasMessageContaining("is a sparse vector, but a dense vector was given");
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("text",
                new SparseVector(new int[] {1}, new float[] {1})))))
                .hasMessageContaining("is a dense vector, but a sparse vector was given");
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("colbert", dense(1, 2)))))
                .hasMessageContaining("is a multivector, but a single vector was given");
        assertThatThrownBy(() -> validator.validate(new DeleteVectors(List.of(PointId.of(1)), List.of("nope"))))
                .hasMessageContaining("no vector named 'nope'");
    }

    @Test
    void refusesDuplicateSparseIndicesAndDuplicatePointsInOneUpsert() {
        assertThatThrownBy(() -> validator.validate(upsert(7, Map.of("words",
                new SparseVector(new int[] {2, 2}, new float[] {1, 1})))))
                .hasMessageContaining("index 2 appears twice");
        PointStruct p = new PointStruct(PointId.of(5), Map.of(), Optional.empty());
        assertThatThrownBy(() -> validator.validate(new UpsertPoints(List.of(p, p))))
                .hasMessageContaining("point 5 appears twice");
    }

    private static UpsertPoints upsert(long id, Map<String, VectorValue> vectors) {
        return new UpsertPoints(List.of(new PointStruct(PointId.of(id), vectors, Optional.empty())));
    }

    private static DenseVector dense(float... values) {
        return new DenseVector(values);
    }
}
