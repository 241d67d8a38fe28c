package dev.qdrantedge.spring.data.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.filter.Match;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.spring.data.Note;
import dev.qdrantedge.spring.data.RecordingOperations;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.mapping.EdgeVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Sort;
import org.springframework.data.mapping.MappingException;

/** The template on a real shard: writes through {@code update}, id-order paging, in-memory sorting, search. */
class EdgeTemplateTest {

    @TempDir
    Path temp;

    private EdgeShard shard;
    private RecordingOperations operations;
    private EdgeTemplate template;

    /** An immutable entity with a generated UUID id and a sparse vector. */
    public record Snippet(@Id UUID id, String text, @EdgeVector("words") SparseVector words) {
    }

    @BeforeEach
    void setUp() {
        shard = TestShards.create(temp.resolve("shard"));
        operations = new RecordingOperations(shard);
        template = new EdgeTemplate(operations);
    }

    @AfterEach
    void tearDown() {
        shard.close();
    }

    private static List<Long> ids(List<Note> notes) {
        return notes.stream().map(Note::getId).collect(Collectors.toList());
    }

    private static List<String> variants(List<UpdateOperation> updates) {
        return updates.stream().map(UpdateOperation::variant).collect(Collectors.toList());
    }

    @Test
    void everyWriteIsOneUpdateOfTheOperations() {
        template.saveAll(TestShards.notes());
        template.save(new Note(7L).title("seven"));
        template.delete(new Note(7L));
        template.deleteAllById(List.of(5L, 6L), Note.class);
        template.deleteAllById(List.of(), Note.class);
        List<Note> deleted = template.delete(EdgeQuery.of(Filter.must(FieldCondition.match(JsonPath.ofKey("kind"),
                Match.Value.of("IDEA")))), Note.class);
        template.deleteAll();

        List<UpdateOperation> updates = operations.updates();
        assertThat(variants(updates)).containsExactly("upsert_points", "upsert_points", "delete_points",
                "delete_points", "delete_points", "delete_points_by_filter");
        assertThat(((UpsertPoints) updates.get(0)).points()).hasSize(6);
        assertThat(((UpsertPoints) updates.get(1)).points().get(0).vectors()).isEmpty();
        assertThat(((DeletePoints) updates.get(2)).ids()).containsExactly(PointId.of(7));
        assertThat(((DeletePoints) updates.get(3)).ids()).containsExactly(PointId.of(5), PointId.of(6));
        assertThat(ids(deleted)).containsExactly(1L, 4L);
        assertThat(((DeletePoints) updates.get(4)).ids()).containsExactly(PointId.of(1), PointId.of(4));
        assertThat(((DeletePointsByFilter) updates.get(5)).filter().toString()).isEqualTo("{}");
        assertThat(shard.count()).isZero();
    }

    @Test
    void readsByIdInTheOrderAsked() {
        template.saveAll(TestShards.notes());
        assertThat(template.findById(3L, Note.class)).map(Note::getTitle).contains("Brown bear");
        assertThat(template.findById(30L, Note.class)).isEmpty();
        assertThat(ids(template.findAllById(List.of(6L, 30L, 2L), Note.class))).containsExactly(6L, 2L);
        assertThat(template.existsById(2L, Note.class)).isTrue();
        assertThat(template.existsById(20L, Note.class)).isFalse();
        assertThat(template.count(null)).isEqualTo(6);
        Note saved = template.findById(1L, Note.class).orElseThrow();
        assertThat(saved.getEmbedding()).containsExactly(1f, 0f, 0f);
        assertThat(saved.getAddress().city()).isEqualTo("Berlin");
    }

    @Test
    void pagesInIdOrderAcrossScrollPages() {
        List<Note> many = new ArrayList<>();
        LongStream.rangeClosed(1, 600).forEach(i -> many.add(new Note(i).stars((int) (i % 7))));
        template.saveAll(many);
        assertThat(ids(template.findAll(Note.class))).hasSize(600).isSorted();
        Page<Note> third = template.findAll(PageRequest.of(2, 250), Note.class);
        assertThat(ids(third.getContent())).containsExactlyElementsOf(LongStream.rangeClosed(501, 600).boxed()
                .collect(Collectors.toList()));
        assertThat(third.getTotalElements()).isEqualTo(600);
        Filter sixes = Filter.must(FieldCondition.match(JsonPath.ofKey("stars"), Match.Value.of(6)));
        List<Note> fromTheTenth = template.find(EdgeQuery.of(sixes).withOffset(10).with(Limit.of(3)), Note.class);
        assertThat(ids(fromTheTenth)).containsExactly(76L, 83L, 90L);
        assertThat(template.find(EdgeQuery.of(sixes).withOffset(85), Note.class)).hasSize(0);
        assertThat(template.find(EdgeQuery.of(sixes).withOffset(84), Note.class)).extracting(Note::getId)
                .containsExactly(594L);
    }

    @Test
    void sortsInMemoryByPropertiesAndRefusesWhatCannotBeSorted() {
        template.saveAll(TestShards.notes());
        assertThat(ids(template.findAll(Sort.by(Sort.Order.asc("title").ignoreCase()), Note.class)))
                .containsExactly(3L, 6L, 4L, 2L, 5L, 1L);
        assertThat(ids(template.findAll(Sort.by("title"), Note.class))).containsExactly(3L, 4L, 2L, 5L, 1L, 6L);
        assertThat(ids(template.findAll(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id")), Note.class)))
                .containsExactly(3L, 2L, 6L, 1L, 5L, 4L);
        assertThat(ids(template.findAll(PageRequest.of(1, 2, Sort.by("stars", "id")), Note.class).getContent()))
                .containsExactly(2L, 6L);
        assertThatThrownBy(() -> template.findAll(Sort.by("nothing"), Note.class))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("cannot sort Note by 'nothing'");
        assertThatThrownBy(() -> template.findAll(Sort.by("tags"), Note.class))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("Note.tags is a collection");
    }

    @Test
    void aNullUuidIdIsGeneratedEvenForAnImmutableEntity() {
        EdgeShard sparse = EdgeShard.create(temp.resolve("sparse"), new EdgeConfig(Map.of(),
                Map.of("words", new SparseVectorParams(false))));
        try (sparse) {
            EdgeTemplate snippets = new EdgeTemplate(sparse);
            Snippet saved = snippets.save(new Snippet(null, "one two", new SparseVector(new int[] {1, 2},
                    new float[] {1f, 1f})));
            assertThat(saved.id()).isNotNull();
            snippets.save(new Snippet(null, "two three", new SparseVector(new int[] {2, 3}, new float[] {1f, 2f})));
            assertThat(snippets.findById(saved.id(), Snippet.class)).contains(saved);

            SearchResults<Snippet> threes = snippets.search(EdgeVectorQuery.nearest("words",
                    new SparseVector(new int[] {3}, new float[] {1f})).with(Limit.of(5)), Snippet.class);
            assertThat(threes.contentStream().map(Snippet::text)).containsExactly("two three");
            assertThat(threes.getContent().get(0).getScore().getValue()).isEqualTo(2.0);
        }
        assertThatThrownBy(() -> template.save(new Note(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Note.id is null: a numeric id must be set before saving");
    }

    /** An entity on the unnamed vector. */
    public record Point(@Id Long id, @EdgeVector float[] at) {
    }

    @Test
    void forADistanceTheThresholdKeepsTheCloserResultsAndTheRangeBoundsTheDistance() {
        EdgeShard euclid = EdgeShard.create(temp.resolve("euclid"), EdgeConfig.of(new VectorParams(1,
                Distance.EUCLID)));
        try (euclid) {
            EdgeTemplate points = new EdgeTemplate(euclid);
            points.saveAll(List.of(new Point(1L, new float[] {1}), new Point(2L, new float[] {3}),
                    new Point(3L, new float[] {6})));
            EdgeVectorQuery fromZero = EdgeVectorQuery.nearest("", new DenseVector(new float[] {0}));
            SearchResults<Point> within = points.search(fromZero.withThreshold(Score.of(4)), Point.class);
            assertThat(within.contentStream().map(Point::id)).containsExactly(1L, 2L);
            assertThat(within.stream().map(r -> r.getScore().getValue())).containsExactly(1.0, 3.0);
            assertThat(points.search(fromZero.withScoreRange(Range.closed(Score.of(2), Score.of(10))), Point.class)
                    .contentStream().map(Point::id)).containsExactly(2L, 3L);
        }
    }

    @Test
    void searchesWithFilterThresholdRangeAndOffset() {
        template.saveAll(TestShards.notes());
        DenseVector query = new DenseVector(new float[] {1, 0, 0});
        Filter pinned = Filter.must(FieldCondition.match(JsonPath.ofKey("pinned"), Match.Value.of(false)));
        EdgeVectorQuery nearest = EdgeVectorQuery.nearest("text", query);
        assertThat(template.search(nearest.withFilter(pinned), Note.class).contentStream().map(Note::getId))
                .containsExactly(2L, 6L, 3L);
        assertThat(template.search(nearest.withThreshold(Score.of(0.3)).withOffset(1), Note.class).contentStream()
                .map(Note::getId)).containsExactly(4L, 2L);
        assertThat(template.search(nearest.withScoreRange(Range.closed(Score.of(0.0), Score.of(0.5)))
                .withOffset(1).with(Limit.of(5)), Note.class).contentStream().map(Note::getId))
                .containsExactly(6L, 3L);
        assertThat(template.search(nearest.with(Limit.of(0)), Note.class)).isEmpty();
        Filter none = Filter.must(FieldCondition.match(JsonPath.ofKey("kind"), Match.Value.of("NONE")));
        assertThat(template.search(nearest.withFilter(none), Note.class)).isEmpty();
    }
}
