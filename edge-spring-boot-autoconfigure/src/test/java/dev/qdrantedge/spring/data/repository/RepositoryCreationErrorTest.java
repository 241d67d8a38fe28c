package dev.qdrantedge.spring.data.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.spring.data.Note;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Vector;
import org.springframework.data.domain.Window;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.repository.query.QueryCreationException;

/** What cannot be translated fails when the repository is created, with a message naming the method. */
class RepositoryCreationErrorTest {

    @TempDir
    Path temp;

    private EdgeShard shard;
    private EdgeRepositoryFactory factory;

    @BeforeEach
    void setUp() {
        shard = TestShards.create(temp.resolve("shard"));
        factory = new EdgeRepositoryFactory(new EdgeTemplate(shard));
    }

    @AfterEach
    void tearDown() {
        shard.close();
    }

    interface EndingWith extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleEndingWith(String suffix);
    }

    interface Regex extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleRegex(String regex);
    }

    interface RangeOnText extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleGreaterThan(String title);
    }

    interface TextMatchOnNumber extends EdgeShardRepository<Note, Long> {
        List<Note> findByStarsContaining(int stars);
    }

    interface TrueOnText extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleTrue();
    }

    interface IgnoreCaseEquality extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleIgnoreCase(String title);
    }

    interface AllIgnoreCaseOnKeywords extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleAndStarsAllIgnoreCase(String title, int stars);
    }

    interface AllIgnoreCaseOnText extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleContainingAndStarsAllIgnoreCase(String words, int stars);
    }

    interface EqualityOnVector extends EdgeShardRepository<Note, Long> {
        List<Note> findByEmbedding(float[] embedding);
    }

    interface NearOnPayload extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitleNear(Vector vector);
    }

    interface RangeOnId extends EdgeShardRepository<Note, Long> {
        List<Note> findByIdGreaterThan(Long id);
    }

    interface UnknownProperty extends EdgeShardRepository<Note, Long> {
        List<Note> findByColour(String colour);
    }

    interface TooManyArguments extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitle(String title, String other);
    }

    interface NearWithOr extends EdgeShardRepository<Note, Long> {
        SearchResults<Note> searchByEmbeddingNearOrTitle(Vector vector, String title);
    }

    interface SearchWithoutNear extends EdgeShardRepository<Note, Long> {
        SearchResults<Note> searchByTitle(String title);
    }

    interface PagedSearch extends EdgeShardRepository<Note, Long> {
        Page<Note> findByEmbeddingNear(Vector vector, Pageable pageable);
    }

    interface SortedSearch extends EdgeShardRepository<Note, Long> {
        SearchResults<Note> searchByEmbeddingNear(Vector vector, Sort sort);
    }

    interface WithinWithoutRange extends EdgeShardRepository<Note, Long> {
        SearchResults<Note> searchByEmbeddingWithin(Vector vector, Limit limit);
    }

    interface ScoreWithoutSearch extends EdgeShardRepository<Note, Long> {
        List<Note> findByTitle(String title, Score score);
    }

    interface TextQueryVector extends EdgeShardRepository<Note, Long> {
        SearchResults<Note> searchByEmbeddingNear(String text, Range<Score> range);
    }

    interface Scrolling extends EdgeShardRepository<Note, Long> {
        Window<Note> findByTitle(String title, ScrollPosition position);
    }

    interface WrongIdType extends EdgeShardRepository<Note, String> {
    }

    /** An entity whose id cannot be a point id. */
    public record Counter(@Id Integer id) {
    }

    interface CounterRepository extends EdgeShardRepository<Counter, Integer> {
    }

    private void fails(Class<?> repository, String method, String reason) {
        assertThatThrownBy(() -> factory.getRepository(repository))
                .isInstanceOf(QueryCreationException.class)
                .hasMessageContaining(method)
                .hasMessageContaining(reason);
    }

    @Test
    void keywordsQdrantHasNoMatchFor() {
        fails(EndingWith.class, "findByTitleEndingWith", "Qdrant has no suffix match");
        fails(Regex.class, "findByTitleRegex", "Qdrant has no regular expression match");
    }

    @Test
    void keywordsOnPropertiesOfTheWrongType() {
        fails(RangeOnText.class, "findByTitleGreaterThan",
                "GreaterThan on Note.title: needs a numeric or date-time property (Qdrant's ranges), not String");
        fails(TextMatchOnNumber.class, "findByStarsContaining", "needs a String property (Qdrant's text match), not int");
        fails(TrueOnText.class, "findByTitleTrue", "True and False need a boolean property");
        fails(IgnoreCaseEquality.class, "findByTitleIgnoreCase", "IgnoreCase is not supported here");
        fails(AllIgnoreCaseOnKeywords.class, "findByTitleAndStarsAllIgnoreCase", "Is on Note.title: IgnoreCase");
        assertThat(factory.getRepository(AllIgnoreCaseOnText.class).findByTitleContainingAndStarsAllIgnoreCase("x", 1))
                .isEmpty();
        fails(RangeOnId.class, "findByIdGreaterThan", "the id supports only Is/Equals, Not, In and NotIn");
    }

    @Test
    void vectorPropertiesAndVectorSearches() {
        fails(EqualityOnVector.class, "findByEmbedding", "the vector property Note.embedding supports only Near and "
                + "Within");
        fails(NearOnPayload.class, "findByTitleNear", "Near and Within need a property annotated with @EdgeVector");
        fails(NearWithOr.class, "searchByEmbeddingNearOrTitle", "by And only");
        fails(SearchWithoutNear.class, "searchByTitle", "needs a Near or Within part");
        fails(PagedSearch.class, "findByEmbeddingNear", "not a Page, Slice or Window");
        fails(SortedSearch.class, "searchByEmbeddingNear", "ordered by score");
        fails(WithinWithoutRange.class, "searchByEmbeddingWithin", "Within needs a Range<Score> parameter");
        fails(ScoreWithoutSearch.class, "findByTitle", "Score and Range<Score> parameters belong to vector searches");
        fails(TextQueryVector.class, "searchByEmbeddingNear", "the parameter is a java.lang.String");
    }

    @Test
    void namesThatDoNotFitTheEntityOrTheParameters() {
        fails(UnknownProperty.class, "findByColour", "colour");
        fails(TooManyArguments.class, "findByTitle", "the name's criteria take 1 argument(s), but the method has 2");
        fails(Scrolling.class, "findByTitle", "Window and ScrollPosition are not supported");
    }

    @Test
    void entitiesAndIdTypesThatCannotBeStoredAsPoints() {
        assertThatThrownBy(() -> factory.getRepository(WrongIdType.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WrongIdType declares the id type java.lang.String, but Note.id is a "
                        + "java.lang.Long");
        assertThatThrownBy(() -> factory.getRepository(CounterRepository.class))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("Counter.id has type java.lang.Integer");
        assertThat(factory.getRepository(NoteRepository.class)).isNotNull();
    }
}
