package dev.qdrantedge.spring.data.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.spring.data.Kind;
import dev.qdrantedge.spring.data.Note;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;

/** Every derived query keyword and return form, run on a real shard holding {@link TestShards#notes()}. */
class DerivedQueryTest {

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

    private static List<Long> ids(Collection<Note> found) {
        return found.stream().map(Note::getId).collect(Collectors.toList());
    }

    private static List<Long> ids(Stream<Note> found) {
        return found.map(Note::getId).collect(Collectors.toList());
    }

    @Test
    void equalityNegationAndIn() {
        assertThat(ids(notes.findByTitle("Lazy dog"))).containsExactly(2L);
        assertThat(ids(notes.findByTitle("lazy dog"))).isEmpty();
        // Not: every point whose value differs, points without the field included.
        assertThat(ids(notes.findByTitleNot("Lazy dog"))).containsExactly(1L, 3L, 4L, 5L, 6L);
        assertThat(ids(notes.findByKind(Kind.IDEA))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByKindIn(List.of(Kind.IDEA, Kind.DONE)))).containsExactly(1L, 3L, 4L, 6L);
        assertThat(ids(notes.findByKindIn(List.of()))).isEmpty();
        assertThat(ids(notes.findByKindNotIn(List.of(Kind.IDEA, Kind.DONE)))).containsExactly(2L, 5L);
        assertThat(ids(notes.findByStars(3))).containsExactly(2L, 6L);
        assertThat(ids(notes.findByStarsIn(List.of(1, 5)))).containsExactly(1L, 3L);
        assertThat(ids(notes.findByPinned(true))).containsExactly(1L, 4L);
    }

    @Test
    void floatingPointAndDateTimeEqualityCompareValuesNotText() {
        assertThat(ids(notes.findByPrice(20))).containsExactly(2L);
        assertThat(ids(notes.findByPrice(12.25))).containsExactly(5L);
        assertThat(ids(notes.findByPriceIn(List.of(5.0, 9.5)))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByCreatedAt(Instant.parse("2024-02-01T10:00:00Z")))).containsExactly(2L, 6L);
        // The payload holds "2024-03-01T10:00:00.500Z"; the instant matches whatever the text's precision.
        assertThat(ids(notes.findByCreatedAt(Instant.parse("2024-03-01T10:00:00.5Z")))).containsExactly(3L);
    }

    @Test
    void ranges() {
        assertThat(ids(notes.findByStarsBetween(2, 4))).containsExactly(2L, 4L, 5L, 6L);
        assertThat(ids(notes.findByStarsLessThan(3))).containsExactly(3L, 5L);
        assertThat(ids(notes.findByStarsLessThanEqual(3))).containsExactly(2L, 3L, 5L, 6L);
        assertThat(ids(notes.findByStarsGreaterThan(3))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByStarsGreaterThanEqual(4))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByPriceGreaterThan(9.5))).containsExactly(2L, 5L);
        assertThat(ids(notes.findByCreatedAtBefore(Instant.parse("2024-01-15T00:00:00Z")))).containsExactly(1L, 5L);
        assertThat(ids(notes.findByCreatedAtAfter(LocalDateTime.parse("2024-02-01T10:00:00"))))
                .containsExactly(3L);
        assertThat(ids(notes.findByCreatedAtBetween(Instant.parse("2024-01-01T10:00:00Z"),
                Instant.parse("2024-02-01T10:00:00Z")))).containsExactly(1L, 2L, 6L);
    }

    @Test
    void nullEmptyAndBooleans() {
        assertThat(ids(notes.findByPriceIsNull())).containsExactly(3L);
        assertThat(ids(notes.findByPriceIsNotNull())).containsExactly(1L, 2L, 4L, 5L, 6L);
        assertThat(ids(notes.findByCreatedAtExists())).containsExactly(1L, 2L, 3L, 5L, 6L);
        // Qdrant's is_empty: an empty list and a null (or missing) one alike.
        assertThat(ids(notes.findByTagsIsEmpty())).containsExactly(3L, 4L);
        assertThat(ids(notes.findByTagsIsNotEmpty())).containsExactly(1L, 2L, 5L, 6L);
        assertThat(ids(notes.findByPinnedTrue())).containsExactly(1L, 4L);
        assertThat(ids(notes.findByPinnedFalse())).containsExactly(2L, 3L, 5L, 6L);
    }

    @Test
    void collectionsMatchAnyElement() {
        assertThat(ids(notes.findByTags("java"))).containsExactly(1L, 2L);
        assertThat(ids(notes.findByTagsContaining("spring"))).containsExactly(1L, 6L);
        assertThat(ids(notes.findByTagsNotContaining("java"))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(ids(notes.findByTagsIn(List.of("rust", "spring")))).containsExactly(1L, 5L, 6L);
    }

    @Test
    void textMatchesWholeWordsIgnoringCaseAndPrefixesExactly() {
        assertThat(ids(notes.findByTitleContaining("brown"))).containsExactly(1L, 3L, 6L);
        assertThat(ids(notes.findByTitleContaining("BROWN fox"))).containsExactly(1L);
        assertThat(ids(notes.findByTitleContainingIgnoreCase("Paper"))).containsExactly(6L);
        // Words, not substrings: "row" is no word of "brown".
        assertThat(ids(notes.findByTitleContaining("row"))).isEmpty();
        assertThat(ids(notes.findByTitleNotContaining("brown"))).containsExactly(2L, 4L, 5L);
        assertThat(ids(notes.findByTitleLike("fox"))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByTitleLike("%fox%"))).containsExactly(1L, 4L);
        assertThat(ids(notes.findByTitleNotLike("fox"))).containsExactly(2L, 3L, 5L, 6L);
        assertThat(ids(notes.findByTitleStartingWith("Fox"))).containsExactly(4L);
        assertThat(ids(notes.findByTitleStartingWith("fox"))).isEmpty();
    }

    @Test
    void nestedPropertiesAndPropertiesInCollections() {
        assertThat(ids(notes.findByAddressCity("Berlin"))).containsExactly(1L, 3L);
        assertThat(ids(notes.findByAddressCityAndAddressZipStartingWith("Paris", "75002"))).containsExactly(6L);
        assertThat(ids(notes.findByVisitsCity("Rome"))).containsExactly(1L, 2L);
        assertThat(ids(notes.findByVisitsCity("Oslo"))).containsExactly(2L);
    }

    @Test
    void theIdIsQdrantsHasId() {
        assertThat(ids(notes.findByIdIn(List.of(5L, 1L, 99L)))).containsExactly(1L, 5L);
        assertThat(ids(notes.findByIdNot(1L))).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(ids(notes.findByIdNotIn(List.of(1L, 2L, 3L)))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void andOr() {
        assertThat(ids(notes.findByKindAndStarsGreaterThan(Kind.IDEA, 4))).containsExactly(1L);
        assertThat(ids(notes.findByKindOrPinnedTrue(Kind.TODO))).containsExactly(1L, 2L, 4L, 5L);
        // (kind = DONE and pinned) or stars < 3
        assertThat(ids(notes.findByKindAndPinnedTrueOrStarsLessThan(Kind.IDEA, 3))).containsExactly(1L, 3L, 4L, 5L);
        assertThat(ids(notes.findByKindAndPinnedTrueOrStarsLessThan(Kind.DONE, 2))).containsExactly(3L);
    }

    @Test
    void limitsAndOrder() {
        assertThat(ids(notes.findFirst2ByPinnedFalse())).containsExactly(2L, 3L);
        assertThat(notes.findTopByOrderByStarsDescIdAsc().getId()).isEqualTo(1L);
        assertThat(ids(notes.findByPinnedFalseOrderByStarsDesc())).containsExactly(2L, 6L, 5L, 3L);
        assertThat(ids(notes.findByPinnedFalse(Sort.by("stars", "id")))).containsExactly(3L, 5L, 2L, 6L);
        assertThat(ids(notes.findByPinnedFalse(Sort.by(Sort.Order.desc("address.zip"))))).containsExactly(5L, 6L,
                2L, 3L);
        assertThat(ids(notes.findByPinnedFalse(Sort.by(Sort.Order.asc("price").nullsFirst())))).containsExactly(3L,
                6L, 5L, 2L);
        assertThat(ids(notes.findByPinnedFalse(Limit.of(3)))).containsExactly(2L, 3L, 5L);
        assertThat(ids(notes.findTop2ByPinnedFalse(Limit.of(3)))).containsExactly(2L, 3L);
        assertThat(ids(notes.findTop2ByPinnedFalse(Limit.of(1)))).containsExactly(2L);
        assertThat(ids(notes.findTop2ByPinnedFalse(Limit.unlimited()))).containsExactly(2L, 3L);
    }

    @Test
    void pagesAndSlices() {
        Page<Note> second = notes.findByPinnedFalse(PageRequest.of(1, 3));
        assertThat(ids(second.getContent())).containsExactly(6L);
        assertThat(second.getTotalElements()).isEqualTo(4);
        assertThat(second.getTotalPages()).isEqualTo(2);
        Page<Note> sorted = notes.findByPinnedFalse(PageRequest.of(0, 2, Sort.by(Sort.Direction.DESC, "stars")));
        assertThat(ids(sorted.getContent())).containsExactly(2L, 6L);
        assertThat(sorted.getTotalElements()).isEqualTo(4);
        assertThat(ids(notes.findByPinnedFalse(PageRequest.of(5, 3)).getContent())).isEmpty();
        // OrderBy of the name first, then the page's sort.
        assertThat(ids(notes.findByPinnedFalseOrderByStarsDesc(PageRequest.of(0, 3, Sort.by("id").descending()))
                .getContent())).containsExactly(6L, 2L, 5L);

        Slice<Note> first = notes.findByStarsGreaterThan(1, PageRequest.of(0, 3));
        assertThat(ids(first.getContent())).containsExactly(1L, 2L, 4L);
        assertThat(first.hasNext()).isTrue();
        Slice<Note> last = notes.findByStarsGreaterThan(1, PageRequest.of(1, 3));
        assertThat(ids(last.getContent())).containsExactly(5L, 6L);
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void singleResultsStreamsProjectionsAndEmptyCriteria() {
        try (Stream<Note> todo = notes.streamByKind(Kind.TODO)) {
            assertThat(ids(todo)).containsExactly(2L, 5L);
        }
        assertThat(notes.findOneByTitle("Old news")).map(Note::getId).contains(5L);
        assertThat(notes.findOneByTitle("missing")).isEmpty();
        // null is Qdrant's is_empty: no note lacks a kind.
        assertThat(notes.findOneByKind(null)).isNull();
        assertThatThrownBy(() -> notes.findOneByKind(Kind.IDEA))
                .isInstanceOf(IncorrectResultSizeDataAccessException.class)
                .hasMessageContaining("NoteRepository.findOneByKind");
        assertThat(notes.findByStarsGreaterThanEqualOrderByStarsAsc(4)).extracting(NoteRepository.TitleOnly::getTitle)
                .containsExactly("Fox hunt", "Quick brown fox");
        assertThat(ids(notes.findBy())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void countExistsAndDelete() {
        assertThat(notes.countByKind(Kind.IDEA)).isEqualTo(2);
        assertThat(notes.countByKind(Kind.DONE)).isEqualTo(2);
        assertThat(notes.existsByTitle("Lazy dog")).isTrue();
        assertThat(notes.existsByTitle("Lazy")).isFalse();

        assertThat(notes.deleteByKind(Kind.DONE)).isEqualTo(2);
        assertThat(ids(notes.findAll())).containsExactly(1L, 2L, 4L, 5L);
        assertThat(ids(notes.removeByStarsLessThan(4))).containsExactly(2L, 5L);
        assertThat(ids(notes.findAll())).containsExactly(1L, 4L);
        assertThat(shard.count()).isEqualTo(2);
    }
}
