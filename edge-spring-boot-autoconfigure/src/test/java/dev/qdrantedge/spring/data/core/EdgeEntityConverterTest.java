package dev.qdrantedge.spring.data.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.spring.data.Note;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.mapping.EdgeVector;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Vector;
import org.springframework.data.mapping.MappingException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Entity to point and back: ids, vectors of every supported type, the payload as Jackson writes it. */
class EdgeEntityConverterTest {

    @TempDir
    Path temp;

    private final EdgeEntityConverter converter = new EdgeEntityConverter();

    /** Every vector type, a UUID id, time values, and fields left out of the payload. */
    public record Doc(@Id UUID id, String text, LocalDate day, OffsetDateTime at, @EdgeVector float[] plain,
            @EdgeVector("list") List<Float> list, @EdgeVector("spring") Vector vector,
            @EdgeVector("words") SparseVector words, @Transient String scratch) {
    }

    /** A String id holding a UUID, no vectors, a transient field. */
    public static class Tag {
        @Id
        String id;
        String name;
        transient int cache = 7;

        Tag() {
        }

        Tag(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    public record IntegerId(@Id Integer id) {
    }

    public record NoId(String name) {
    }

    public record TextVector(@Id Long id, @EdgeVector String embedding) {
    }

    public record TwiceTheSameVector(@Id Long id, @EdgeVector("v") float[] a, @EdgeVector("v") float[] b) {
    }

    private static EdgeShard docShard(Path directory) {
        VectorParams two = new VectorParams(2, Distance.DOT);
        return EdgeShard.create(directory, new EdgeConfig(Map.of("", two, "list", two, "spring", two),
                Map.of("words", new SparseVectorParams(false))));
    }

    @Test
    void theIdIsThePointIdVectorsAreVectorsAndEveryOtherFieldIsThePayload() {
        PointStruct point = converter.write(TestShards.notes().get(0));
        assertThat(point.id()).isEqualTo(PointId.of(1));
        assertThat(point.vectors()).containsExactly(Map.entry("text", new DenseVector(new float[] {1, 0, 0})));
        ObjectNode expected = (ObjectNode) JsonMapper.builder().build().readTree("{\"title\": \"Quick brown fox\", "
                + "\"tags\": [\"java\", \"spring\"], \"stars\": 5, \"price\": 9.5, \"pinned\": true, "
                + "\"created_at\": \"2024-01-01T10:00:00Z\", \"address\": {\"city\": \"Berlin\", \"zip\": \"10115\"}, "
                + "\"visits\": [{\"city\": \"Rome\", \"zip\": \"00100\"}], \"kind\": \"IDEA\"}");
        assertThat(point.payload()).contains(expected);
    }

    @Test
    void everyVectorTypeAndTheTimeValuesRoundTripThroughAShard() {
        UUID id = UUID.fromString("8f2c1a3e-0b4d-4e5f-9a6b-7c8d9e0f1a2b");
        Doc doc = new Doc(id, "hello", LocalDate.of(2024, 5, 6), OffsetDateTime.parse("2024-05-06T07:08:09.5+02:00"),
                new float[] {0.25f, -1.5f}, List.of(3f, 4f), Vector.of(5f, 6f),
                new SparseVector(new int[] {3, 70}, new float[] {0.5f, 2f}), "not stored");
        PointStruct point = converter.write(doc);
        assertThat(point.id()).isEqualTo(PointId.of(id));
        assertThat(point.payload().orElseThrow().toString())
                .isEqualTo("{\"text\":\"hello\",\"day\":\"2024-05-06\",\"at\":\"2024-05-06T07:08:09.5+02:00\"}");
        try (EdgeShard shard = docShard(temp.resolve("docs"))) {
            EdgeTemplate template = new EdgeTemplate(shard, converter);
            template.save(doc);
            Doc read = template.findById(id, Doc.class).orElseThrow();
            assertThat(read.id()).isEqualTo(id);
            assertThat(read.text()).isEqualTo("hello");
            assertThat(read.day()).isEqualTo(doc.day());
            assertThat(read.at()).isEqualTo(doc.at());
            assertThat(read.plain()).containsExactly(0.25f, -1.5f);
            assertThat(read.list()).containsExactly(3f, 4f);
            assertThat(read.vector().toFloatArray()).containsExactly(5f, 6f);
            assertThat(read.words()).isEqualTo(doc.words());
            assertThat(read.scratch()).isNull();
        }
    }

    @Test
    void aStringIdHoldsAUuidAndIsReadBackInCanonicalForm() {
        Tag tag = new Tag("550E8400-E29B-41D4-A716-446655440000", "upper");
        PointStruct point = converter.write(tag);
        assertThat(point.id()).isEqualTo(PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")));
        assertThat(point.payload().orElseThrow().toString()).isEqualTo("{\"name\":\"upper\"}");
        assertThat(point.vectors()).isEmpty();
        Tag read = converter.read(Tag.class, point.id(), point.payload().orElseThrow(), null);
        assertThat(read.id).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
        assertThat(read.name).isEqualTo("upper");
        assertThatThrownBy(() -> converter.write(new Tag("tag-1", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tag.id is 'tag-1': a String point id must hold a UUID");
    }

    @Test
    void idsThatCannotBePointIdsAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> converter.write(new IntegerId(1)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("IntegerId.id has type java.lang.Integer; a point id must be a Long, long, UUID "
                        + "or a String holding a UUID");
        assertThatThrownBy(() -> converter.write(new NoId("x")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("NoId has no @Id property");
        assertThatThrownBy(() -> converter.write(new Note(-1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Note.id is -1: point ids are unsigned, a Long id must not be negative");
        assertThatThrownBy(() -> converter.write(new Note(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Note.id is null");
    }

    @Test
    void vectorPropertiesAreChecked() {
        assertThatThrownBy(() -> converter.write(new TextVector(1L, "x")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("TextVector.embedding is annotated with @EdgeVector but has type java.lang.String");
        assertThatThrownBy(() -> converter.write(new TwiceTheSameVector(1L, null, null)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("are both mapped to the vector 'v'");
    }

    @Test
    void vectorsAreAskedForOnlyWhenTheClassHasVectorProperties() {
        assertThat(converter.vectorSelection(Tag.class)).isEqualTo(WithVector.NONE);
        assertThat(converter.vectorSelection(Note.class)).isEqualTo(WithVector.names(List.of("text")));
        assertThat(converter.vectorSelection(Doc.class))
                .isEqualTo(WithVector.names(List.of("", "list", "spring", "words")));
    }

    @Test
    void pointsWrittenByOthersAreReadWhenTheyFitAndRefusedClearlyWhenNot() {
        try (EdgeShard shard = TestShards.create(temp.resolve("shard"))) {
            ObjectNode payload = (ObjectNode) JsonMapper.builder().build()
                    .readTree("{\"title\": \"from the server\", \"stars\": 2, \"source\": \"sync\", \"id\": 99}");
            shard.update(new UpsertPoints(List.of(new PointStruct(PointId.of(7), Map.of(), Optional.of(payload)))));
            EdgeTemplate template = new EdgeTemplate(shard, converter);
            Note note = template.findById(7L, Note.class).orElseThrow();
            assertThat(note.getId()).isEqualTo(7L);
            assertThat(note.getTitle()).isEqualTo("from the server");
            assertThat(note.getStars()).isEqualTo(2);
            assertThat(note.getEmbedding()).isNull();

            UUID uuid = UUID.fromString("00000000-0000-0000-0000-000000000001");
            shard.update(new UpsertPoints(List.of(new PointStruct(PointId.of(uuid), new LinkedHashMap<>(),
                    Optional.empty()))));
            assertThatThrownBy(() -> template.findAll(Note.class))
                    .isInstanceOf(EdgeConversionException.class)
                    .hasMessageContaining("point 00000000-0000-0000-0000-000000000001 cannot be read as Note: Note.id "
                            + "is a Long, but the point id is a UUID");
            shard.update(new UpsertPoints(List.of(new PointStruct(PointId.of(-1L), new LinkedHashMap<>(),
                    Optional.empty()))));
            assertThatThrownBy(() -> template.findAll(Note.class))
                    .isInstanceOf(EdgeConversionException.class)
                    .hasMessageContaining("point 18446744073709551615 cannot be read as Note: Note.id is a Long, but the "
                            + "point id is beyond Long.MAX_VALUE");
            assertThatThrownBy(() -> template.findById(uuid, Note.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("an id of Note must be a Long, was java.util.UUID");
        }
    }
}
