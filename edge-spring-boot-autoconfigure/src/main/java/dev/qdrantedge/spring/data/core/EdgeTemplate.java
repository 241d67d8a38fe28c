package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.spring.data.mapping.EdgeMappingContext;
import dev.qdrantedge.spring.data.mapping.EdgePersistentEntity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;
import org.springframework.data.domain.ScoringFunction;
import org.springframework.data.domain.SearchResult;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Similarity;
import org.springframework.data.domain.Sort;
import org.springframework.data.mapping.PersistentPropertyAccessor;
import org.springframework.data.mapping.model.EntityInstantiators;
import org.springframework.data.mapping.model.InstantiationAwarePropertyAccessor;
import org.springframework.data.support.PageableExecutionUtils;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Entities stored as the points of an {@link EdgeOperations} (a shard, or a store that merges a shard with a
 * server). Every entity is one point (see {@link EdgeEntityConverter}); every entity class reads all points
 * of the store, so a store holds the points of one entity class.
 *
 * <p>Writes go through {@link EdgeOperations#update}: one upsert per {@code save}/{@code saveAll} call (all
 * of its entities in one operation), one delete per delete call. Reads page through the store with
 * {@code scroll} in id order; sorting by properties reads every matching point and sorts in memory.
 */
public class EdgeTemplate {

    private static final int READ_PAGE = 256;
    private static final int SKIP_PAGE = 10_000;

    private final EdgeOperations operations;
    private final EdgeEntityConverter converter;
    private final EntitySorter sorter;
    private final EntityInstantiators instantiators = new EntityInstantiators();

    /** A template with its own mapping context and the default payload mapping. */
    public EdgeTemplate(EdgeOperations operations) {
        this(operations, new EdgeEntityConverter());
    }

    public EdgeTemplate(EdgeOperations operations, EdgeEntityConverter converter) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.converter = Objects.requireNonNull(converter, "converter");
        this.sorter = new EntitySorter(converter.getMappingContext());
    }

    public EdgeOperations getOperations() {
        return operations;
    }

    public EdgeEntityConverter getConverter() {
        return converter;
    }

    public EdgeMappingContext getMappingContext() {
        return converter.getMappingContext();
    }

    // -----------------------------------------------------------------------------------------------
    // writes

    /**
     * Inserts or replaces the entity's point (id, vectors and the whole payload). An entity with a
     * {@code null} UUID id gets a random UUID first.
     *
     * @return the saved entity: {@code entity} itself, or a copy with the new id for an immutable class
     */
    public <T> T save(T entity) {
        T saved = withId(entity);
        operations.update(new UpsertPoints(List.of(converter.write(saved))));
        return saved;
    }

    /** Inserts or replaces the entities' points in one operation. */
    public <T> List<T> saveAll(Iterable<T> entities) {
        List<T> saved = new ArrayList<>();
        List<PointStruct> points = new ArrayList<>();
        for (T entity : entities) {
            T withId = withId(Objects.requireNonNull(entity, "entity"));
            saved.add(withId);
            points.add(converter.write(withId));
        }
        if (!points.isEmpty()) {
            operations.update(new UpsertPoints(points));
        }
        return saved;
    }

    @SuppressWarnings("unchecked")
    private <T> T withId(T entity) {
        EdgePersistentEntity<T> metadata = (EdgePersistentEntity<T>) converter.getRequiredEntity(entity.getClass());
        if (metadata.getIdentifierAccessor(entity).getIdentifier() != null) {
            return entity;
        }
        Object id = converter.generateId(entity.getClass());
        PersistentPropertyAccessor<T> accessor = new InstantiationAwarePropertyAccessor<>(entity,
                metadata::getPropertyAccessor, instantiators);
        accessor.setProperty(metadata.getRequiredIdProperty(), id);
        return accessor.getBean();
    }

    /** Deletes the entity's point (nothing happens when there is none). */
    public void delete(Object entity) {
        deleteAll(List.of(entity));
    }

    /** Deletes the entities' points in one operation. */
    public void deleteAll(Iterable<?> entities) {
        List<PointId> ids = new ArrayList<>();
        for (Object entity : entities) {
            Object id = converter.getRequiredEntity(entity.getClass()).getIdentifierAccessor(entity)
                    .getRequiredIdentifier();
            ids.add(converter.toPointId(id, entity.getClass()));
        }
        deletePoints(ids);
    }

    /** Deletes the point with this id of an entity class. */
    public void deleteById(Object id, Class<?> type) {
        deleteAllById(List.of(id), type);
    }

    /** Deletes the points with these ids of an entity class, in one operation. */
    public void deleteAllById(Iterable<?> ids, Class<?> type) {
        deletePoints(pointIds(ids, type));
    }

    /** Deletes every point of the store, in one operation. */
    public void deleteAll() {
        operations.update(new DeletePointsByFilter(JsonNodeFactory.instance.objectNode()));
    }

    /**
     * Deletes the entities a query finds, in one operation.
     *
     * @return the deleted entities, as they were
     */
    public <T> List<T> delete(EdgeQuery query, Class<T> type) {
        List<T> found = find(query, type);
        EdgePersistentEntity<?> metadata = converter.getRequiredEntity(type);
        List<PointId> ids = new ArrayList<>(found.size());
        for (T entity : found) {
            ids.add(converter.toPointId(metadata.getIdentifierAccessor(entity).getRequiredIdentifier(), type));
        }
        deletePoints(ids);
        return found;
    }

    private void deletePoints(List<PointId> ids) {
        if (!ids.isEmpty()) {
            operations.update(new DeletePoints(ids));
        }
    }

    // -----------------------------------------------------------------------------------------------
    // reads by id

    public <T> Optional<T> findById(Object id, Class<T> type) {
        List<T> found = findAllById(List.of(id), type);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The entities with these ids that exist, in the order of {@code ids}. */
    public <T> List<T> findAllById(Iterable<?> ids, Class<T> type) {
        List<PointId> pointIds = pointIds(ids, type);
        if (pointIds.isEmpty()) {
            return new ArrayList<>();
        }
        List<T> result = new ArrayList<>(pointIds.size());
        for (Record record : operations.retrieve(pointIds, true, converter.vectorSelection(type).enabled())) {
            result.add(read(type, record));
        }
        return result;
    }

    public boolean existsById(Object id, Class<?> type) {
        return !operations.retrieve(List.of(converter.toPointId(id, type)), false, false).isEmpty();
    }

    private List<PointId> pointIds(Iterable<?> ids, Class<?> type) {
        List<PointId> pointIds = new ArrayList<>();
        for (Object id : ids) {
            pointIds.add(converter.toPointId(Objects.requireNonNull(id, "id"), type));
        }
        return pointIds;
    }

    // -----------------------------------------------------------------------------------------------
    // queries

    /** The number of points matching {@code filter} ({@code null}: all points). */
    public long count(Filter filter) {
        return operations.count(filter);
    }

    /** Whether some point matches {@code filter} ({@code null}: whether the store holds any point). */
    public boolean exists(Filter filter) {
        return !operations.scroll(new ScrollRequest(null, 1, filter, WithPayload.NONE, WithVector.NONE)).points()
                .isEmpty();
    }

    public <T> List<T> findAll(Class<T> type) {
        return find(EdgeQuery.all(), type);
    }

    public <T> List<T> findAll(Sort sort, Class<T> type) {
        return find(EdgeQuery.all().with(sort), type);
    }

    public <T> Page<T> findAll(Pageable pageable, Class<T> type) {
        return findPage(EdgeQuery.all(), pageable, type);
    }

    /** One page of the entities of {@code query} (its filter and sort; the page sets offset and limit). */
    public <T> Page<T> findPage(EdgeQuery query, Pageable pageable, Class<T> type) {
        List<T> content = find(query.with(pageable), type);
        return PageableExecutionUtils.getPage(content, pageable, () -> count(query.filter()));
    }

    /** The entities of a query. */
    public <T> List<T> find(EdgeQuery query, Class<T> type) {
        if (query.limit().isLimited() && query.limit().max() <= 0) {
            return new ArrayList<>();
        }
        if (query.sort().isSorted()) {
            Comparator<T> comparator = sorter.comparator(query.sort(), type);
            List<T> all = read(query.filter(), null, Integer.MAX_VALUE, type);
            all.sort(comparator);
            long from = Math.min(query.offset(), all.size());
            long to = query.limit().isLimited() ? Math.min(all.size(), from + query.limit().max()) : all.size();
            return new ArrayList<>(all.subList((int) from, (int) to));
        }
        Cursor start = skip(query.filter(), query.offset());
        if (start.exhausted()) {
            return new ArrayList<>();
        }
        int max = query.limit().isLimited() ? query.limit().max() : Integer.MAX_VALUE;
        return read(query.filter(), start.offset(), max, type);
    }

    /** Where a scroll continues: from {@code offset} ({@code null}: the first point), unless exhausted. */
    private record Cursor(PointId offset, boolean exhausted) {
    }

    /** The cursor after skipping {@code count} points matching {@code filter}, scrolling ids only. */
    private Cursor skip(Filter filter, long count) {
        PointId next = null;
        long remaining = count;
        while (remaining > 0) {
            int page = (int) Math.min(remaining, SKIP_PAGE);
            ScrollPage skipped = operations.scroll(new ScrollRequest(next, page, filter, WithPayload.NONE,
                    WithVector.NONE));
            remaining -= skipped.points().size();
            next = skipped.nextOffset();
            if (next == null) {
                return new Cursor(null, true);
            }
        }
        return new Cursor(next, false);
    }

    private <T> List<T> read(Filter filter, PointId from, int max, Class<T> type) {
        WithVector vectors = converter.vectorSelection(type);
        List<T> result = new ArrayList<>();
        PointId next = from;
        do {
            int page = Math.min(READ_PAGE, max - result.size());
            ScrollPage points = operations.scroll(new ScrollRequest(next, page, filter, WithPayload.ALL, vectors));
            for (Record record : points.points()) {
                result.add(read(type, record));
            }
            next = points.nextOffset();
        } while (next != null && result.size() < max);
        return result;
    }

    private <T> T read(Class<T> type, Record record) {
        return converter.read(type, record.id(), record.payload(), record.vectors());
    }

    // -----------------------------------------------------------------------------------------------
    // vector search

    /**
     * The entities nearest to the query's vector, best first, each with Qdrant's score. The score is a
     * {@link Similarity} when the query's threshold or range is given in {@code Similarity} values, else a
     * {@link Score}; its scoring function is the one of the threshold or range (unspecified without one).
     */
    public <T> SearchResults<T> search(EdgeVectorQuery query, Class<T> type) {
        if (query.limit().isLimited() && query.limit().max() <= 0) {
            return new SearchResults<>(List.of());
        }
        Float threshold = query.threshold() == null ? null : (float) query.threshold().getValue();
        Score model = scoreModel(query);
        if (query.scoreRange() == null) {
            int limit = limit(query.limit(), query.filter());
            if (limit == 0) {
                return new SearchResults<>(List.of());
            }
            List<ScoredPoint> points = operations.search(new SearchRequest(query.using(), query.vector(),
                    query.filter(), limit, (int) query.offset(), threshold, WithPayload.ALL,
                    converter.vectorSelection(type), null));
            List<SearchResult<T>> results = new ArrayList<>(points.size());
            for (ScoredPoint point : points) {
                T entity = converter.read(type, point.id(), point.payload(), point.vectors());
                results.add(new SearchResult<>(entity, score(point.score(), model)));
            }
            return new SearchResults<>(results);
        }
        // A score range may exclude the best results: rank every matching point by id and score only, keep those
        // in range, then read the entities of the requested window.
        int all = limit(Limit.unlimited(), query.filter());
        if (all == 0) {
            return new SearchResults<>(List.of());
        }
        List<ScoredPoint> ranked = operations.search(new SearchRequest(query.using(), query.vector(),
                query.filter(), all, 0, threshold, WithPayload.NONE, WithVector.NONE, null));
        Comparator<Score> byValue = Comparator.comparingDouble(Score::getValue);
        List<ScoredPoint> window = new ArrayList<>();
        long skipped = 0;
        int max = query.limit().isLimited() ? query.limit().max() : Integer.MAX_VALUE;
        for (ScoredPoint point : ranked) {
            if (!query.scoreRange().contains(Score.of(point.score()), byValue)) {
                continue;
            }
            if (skipped < query.offset()) {
                skipped++;
                continue;
            }
            if (window.size() == max) {
                break;
            }
            window.add(point);
        }
        List<PointId> ids = new ArrayList<>(window.size());
        window.forEach(point -> ids.add(point.id()));
        Map<PointId, Record> records = new HashMap<>();
        for (Record record : operations.retrieve(ids, true, converter.vectorSelection(type).enabled())) {
            records.put(record.id(), record);
        }
        List<SearchResult<T>> results = new ArrayList<>(window.size());
        for (ScoredPoint point : window) {
            Record record = records.get(point.id());
            if (record != null) {
                results.add(new SearchResult<>(read(type, record), score(point.score(), model)));
            }
        }
        return new SearchResults<>(results);
    }

    /** A search limit: the query's, or every point matching the filter when unlimited. */
    private int limit(Limit limit, Filter filter) {
        if (limit.isLimited()) {
            return limit.max();
        }
        return (int) Math.min(Integer.MAX_VALUE, operations.count(filter));
    }

    private static Score scoreModel(EdgeVectorQuery query) {
        if (query.threshold() != null) {
            return query.threshold();
        }
        Range<Score> range = query.scoreRange();
        if (range == null) {
            return null;
        }
        return range.getLowerBound().getValue().or(() -> range.getUpperBound().getValue()).orElse(null);
    }

    private static Score score(float value, Score model) {
        ScoringFunction function = model == null ? ScoringFunction.unspecified() : model.getFunction();
        return model instanceof Similarity ? Similarity.raw(value, function) : Score.of(value, function);
    }
}
