package dev.qdrantedge.spring.data.repository;

import dev.qdrantedge.spring.data.Kind;
import dev.qdrantedge.spring.data.Note;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;
import org.springframework.data.domain.SearchResult;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Similarity;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Vector;

/** Every derived query form the tests run. */
public interface NoteRepository extends EdgeShardRepository<Note, Long> {

    // equality, negation, in
    List<Note> findByTitle(String title);

    List<Note> findByTitleNot(String title);

    List<Note> findByKind(Kind kind);

    List<Note> findByKindIn(Collection<Kind> kinds);

    List<Note> findByKindNotIn(Collection<Kind> kinds);

    List<Note> findByStars(int stars);

    List<Note> findByStarsIn(List<Integer> stars);

    List<Note> findByPrice(double price);

    List<Note> findByPriceIn(List<Double> prices);

    List<Note> findByCreatedAt(Instant createdAt);

    List<Note> findByPinned(boolean pinned);

    // ranges
    List<Note> findByStarsBetween(int from, int to);

    List<Note> findByStarsLessThan(int stars);

    List<Note> findByStarsLessThanEqual(int stars);

    List<Note> findByStarsGreaterThan(int stars);

    List<Note> findByStarsGreaterThanEqual(int stars);

    List<Note> findByPriceGreaterThan(double price);

    List<Note> findByCreatedAtBefore(Instant instant);

    List<Note> findByCreatedAtAfter(LocalDateTime utc);

    List<Note> findByCreatedAtBetween(Instant from, Instant to);

    // null, empty, booleans
    List<Note> findByPriceIsNull();

    List<Note> findByPriceIsNotNull();

    List<Note> findByCreatedAtExists();

    List<Note> findByTagsIsEmpty();

    List<Note> findByTagsIsNotEmpty();

    List<Note> findByPinnedTrue();

    List<Note> findByPinnedFalse();

    // collections and text
    List<Note> findByTags(String tag);

    List<Note> findByTagsContaining(String tag);

    List<Note> findByTagsNotContaining(String tag);

    List<Note> findByTagsIn(List<String> tags);

    List<Note> findByTitleContaining(String words);

    List<Note> findByTitleContainingIgnoreCase(String words);

    List<Note> findByTitleNotContaining(String words);

    List<Note> findByTitleLike(String words);

    List<Note> findByTitleNotLike(String words);

    List<Note> findByTitleStartingWith(String prefix);

    // nested properties
    List<Note> findByAddressCity(String city);

    List<Note> findByAddressCityAndAddressZipStartingWith(String city, String zipPrefix);

    List<Note> findByVisitsCity(String city);

    // the id
    List<Note> findByIdIn(List<Long> ids);

    List<Note> findByIdNot(Long id);

    List<Note> findByIdNotIn(List<Long> ids);

    // and, or
    List<Note> findByKindAndStarsGreaterThan(Kind kind, int stars);

    List<Note> findByKindOrPinnedTrue(Kind kind);

    List<Note> findByKindAndPinnedTrueOrStarsLessThan(Kind kind, int stars);

    // limits, order, pages, return types
    List<Note> findFirst2ByPinnedFalse();

    Note findTopByOrderByStarsDescIdAsc();

    List<Note> findByPinnedFalseOrderByStarsDesc();

    List<Note> findByPinnedFalse(Sort sort);

    List<Note> findByPinnedFalse(Limit limit);

    List<Note> findTop2ByPinnedFalse(Limit limit);

    Page<Note> findByPinnedFalse(Pageable pageable);

    Page<Note> findByPinnedFalseOrderByStarsDesc(Pageable pageable);

    Slice<Note> findByStarsGreaterThan(int stars, Pageable pageable);

    Stream<Note> streamByKind(Kind kind);

    Optional<Note> findOneByTitle(String title);

    Note findOneByKind(Kind kind);

    List<TitleOnly> findByStarsGreaterThanEqualOrderByStarsAsc(int stars);

    long countByKind(Kind kind);

    boolean existsByTitle(String title);

    long deleteByKind(Kind kind);

    List<Note> removeByStarsLessThan(int stars);

    List<Note> findBy();

    // vector search
    SearchResults<Note> searchByEmbeddingNear(Vector vector, Limit limit);

    SearchResults<Note> searchByEmbeddingNear(Vector vector, Score threshold, Limit limit);

    SearchResults<Note> searchTop2ByEmbeddingNear(float[] vector);

    List<SearchResult<Note>> searchByKindAndEmbeddingNear(Kind kind, List<Float> vector, Limit limit);

    SearchResults<Note> searchByTagsContainingAndEmbeddingNear(String tag, Vector vector, Score threshold);

    SearchResults<Note> searchByEmbeddingWithin(Vector vector, Range<Similarity> range, Limit limit);

    SearchResults<Note> searchByEmbeddingNear(Vector vector, Pageable pageable);

    List<Note> findByEmbeddingNear(Vector vector, Limit limit);

    SearchResult<Note> searchFirstByEmbeddingNear(Vector vector);

    /** An interface projection. */
    interface TitleOnly {
        String getTitle();
    }
}
