package dev.qdrantedge.spring.data.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.spring.data.Kind;
import dev.qdrantedge.spring.data.Note;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Score;
import org.springframework.data.domain.ScoringFunction;
import org.springframework.data.domain.SearchResult;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Similarity;
import org.springframework.data.domain.Vector;

/**
 * Derived vector searches on a real shard. With the query vector (1, 0, 0) and Dot, the notes score 1: 1.0,
 * 4: 0.9, 2: 0.5, 6: 0.2, 3: 0.0; note 5 has no vector and never appears.
 */
class VectorSearchTest {

    private static final Vector QUERY = Vector.of(1f, 0f, 0f);

    @TempDir
    Path temp;

    private EdgeShard shard;
    private NoteRepository notes;

    @BeforeEach
    void setUp() {
        shard = TestShards.create(temp.resolve("shard"));
        notes = new EdgeRepositoryFactory(new EdgeTemplate(shard)).getRepository(NoteRepository.class);
        notes.saveAll(TestShards.notes());
    }

    @AfterEach
    void tearDown() {
        shard.close();
    }

    private static List<Long> ids(SearchResults<Note> results) {
        return results.contentStream().map(Note::getId).collect(Collectors.toList());
    }

    private static List<Double> scores(SearchResults<Note> results) {
        return results.stream().map(r -> r.getScore().getValue()).collect(Collectors.toList());
    }

    @Test
    void ranksByScoreWithTheEntitiesAndTheirVectors() {
        SearchResults<Note> top = notes.searchByEmbeddingNear(QUERY, Limit.of(3));
        assertThat(ids(top)).containsExactly(1L, 4L, 2L);
        assertThat(scores(top)).containsExactly(1.0, (double) 0.9f, 0.5);
        SearchResult<Note> best = top.getContent().get(0);
        assertThat(best.getScore()).isNotInstanceOf(Similarity.class);
        assertThat(best.getScore().getFunction()).isEqualTo(ScoringFunction.unspecified());
        assertThat(best.getContent().getTitle()).isEqualTo("Quick brown fox");
        assertThat(top.getContent().get(2).getContent().getEmbedding()).containsExactly(0.5f, 0.5f, 0f);

        assertThat(ids(notes.searchByEmbeddingNear(QUERY, Limit.unlimited()))).containsExactly(1L, 4L, 2L, 6L, 3L);
        assertThat(ids(notes.searchTop2ByEmbeddingNear(new float[] {0f, 0f, 1f}))).containsExactly(3L, 6L);
    }

    @Test
    void aScoreIsQdrantsThresholdAndKeepsOnlyBetterScores() {
        assertThat(ids(notes.searchByEmbeddingNear(QUERY, Score.of(0.5), Limit.unlimited()))).containsExactly(1L, 4L);
        assertThat(ids(notes.searchByEmbeddingNear(QUERY, Score.of(0.1), Limit.of(3)))).containsExactly(1L, 4L, 2L);
        SearchResults<Note> similar = notes.searchByEmbeddingNear(QUERY, Similarity.of(0.95,
                ScoringFunction.dotProduct()), Limit.unlimited());
        assertThat(ids(similar)).containsExactly(1L);
        assertThat(similar.getContent().get(0).getScore()).isInstanceOf(Similarity.class);
        assertThat(similar.getContent().get(0).getScore().getFunction()).isEqualTo(ScoringFunction.dotProduct());
    }

    @Test
    void otherCriteriaFilterTheCandidates() {
        List<SearchResult<Note>> ideas = notes.searchByKindAndEmbeddingNear(Kind.IDEA, List.of(1f, 0f, 0f),
                Limit.of(10));
        assertThat(ideas).extracting(r -> r.getContent().getId()).containsExactly(1L, 4L);
        assertThat(notes.searchByKindAndEmbeddingNear(Kind.DONE, List.of(1f, 0f, 0f), Limit.of(10)))
                .extracting(r -> r.getContent().getId()).containsExactly(6L, 3L);
        assertThat(ids(notes.searchByTagsContainingAndEmbeddingNear("java", QUERY, Score.of(0.4))))
                .containsExactly(1L, 2L);
        assertThat(ids(notes.searchByTagsContainingAndEmbeddingNear("java", QUERY, Score.of(0.6))))
                .containsExactly(1L);
        assertThat(ids(notes.searchByTagsContainingAndEmbeddingNear("rust", QUERY, null))).isEmpty();
    }

    @Test
    void aScoreRangeKeepsTheScoresInsideItEvenWhenItExcludesTheBest() {
        SearchResults<Note> middle = notes.searchByEmbeddingWithin(QUERY, Similarity.between(0.2, 0.95),
                Limit.unlimited());
        assertThat(ids(middle)).containsExactly(4L, 2L, 6L);
        assertThat(middle.getContent()).allSatisfy(r -> assertThat(r.getScore()).isInstanceOf(Similarity.class));
        assertThat(ids(notes.searchByEmbeddingWithin(QUERY, Similarity.between(0.0, 0.6), Limit.of(2))))
                .containsExactly(2L, 6L);
        assertThat(ids(notes.searchByEmbeddingWithin(QUERY, Similarity.between(0.0, 0.6), Limit.of(2)))
                .stream().count()).isEqualTo(2);
        assertThat(middle.getContent().get(0).getContent().getEmbedding()).containsExactly(0.9f, 0.1f, 0f);
    }

    @Test
    void aPageableSetsOffsetAndLimitAndOtherReturnTypes() {
        assertThat(ids(notes.searchByEmbeddingNear(QUERY, PageRequest.of(1, 2)))).containsExactly(2L, 6L);
        assertThat(notes.findByEmbeddingNear(QUERY, Limit.of(2))).extracting(Note::getId).containsExactly(1L, 4L);
        SearchResult<Note> first = notes.searchFirstByEmbeddingNear(Vector.of(0f, 1f, 0f));
        assertThat(first.getContent().getId()).isEqualTo(2L);
        assertThat(first.getScore().getValue()).isCloseTo(0.5, within(1e-9));
    }
}
