package dev.qdrantedge.spring.data.repository.query;

import dev.qdrantedge.spring.data.core.EdgeQuery;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.core.EdgeVectorQuery;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.SearchResult;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.SliceImpl;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.query.ParametersParameterAccessor;
import org.springframework.data.repository.query.QueryCreationException;
import org.springframework.data.repository.query.RepositoryQuery;
import org.springframework.data.repository.query.ResultProcessor;
import org.springframework.data.repository.query.parser.PartTree;

/**
 * A query derived from a repository method's name ({@code findBy...}, {@code countBy...},
 * {@code existsBy...}, {@code deleteBy...}, {@code searchBy...Near}), run on an {@link EdgeTemplate}.
 * <ul>
 *   <li>Results: a List, Collection or Stream, a single entity (or {@code Optional}; more than one match is an
 *       {@link IncorrectResultSizeDataAccessException}), a Page or Slice with a {@code Pageable}; projections as
 *       Spring Data applies them. {@code Top}/{@code First} and a {@code Limit} parameter bound the results
 *       (the smaller one wins).</li>
 *   <li>Order: id order, or by properties ({@code OrderBy}, then a {@code Sort} or the {@code Pageable}'s
 *       sort) in memory after reading every matching point.</li>
 *   <li>Derived deletes delete what the same find returns, in one operation, and return the deleted entities
 *       or (for a numeric return type) their number.</li>
 *   <li>Vector searches rank by Qdrant's score; a {@code Score} parameter is Qdrant's score threshold, a
 *       {@code Range<Score>} keeps the results with a score in range; a {@code Pageable} sets offset and limit.
 *       They return {@code SearchResults<T>}, a List or Stream of {@code SearchResult<T>} or of {@code T}, or a
 *       single result.</li>
 * </ul>
 */
public class EdgePartTreeQuery implements RepositoryQuery {

    private final EdgeQueryMethod method;
    private final EdgeTemplate template;
    private final PartTree tree;
    private final EdgeQueryCreator creator;

    /**
     * @throws QueryCreationException naming the method when its name or signature is not supported
     */
    public EdgePartTreeQuery(EdgeQueryMethod method, EdgeTemplate template) {
        this.method = method;
        this.template = template;
        Class<?> domainType = method.getEntityInformation().getJavaType();
        try {
            this.tree = new PartTree(method.getName(), domainType);
        } catch (RuntimeException e) {
            throw QueryCreationException.create(method, method.describe() + ": " + e.getMessage(), e);
        }
        if (method.isScrollQuery()) {
            throw QueryCreationException.create(method, method.describe()
                    + ": Window and ScrollPosition are not supported");
        }
        this.creator = new EdgeQueryCreator(tree, method, template.getConverter());
    }

    @Override
    public EdgeQueryMethod getQueryMethod() {
        return method;
    }

    @Override
    public Object execute(Object[] parameters) {
        ParametersParameterAccessor accessor = new ParametersParameterAccessor(method.getParameters(), parameters);
        ResultProcessor processor = method.getResultProcessor().withDynamicProjection(accessor);
        EdgeQueryCreator.Criteria criteria = creator.bind(accessor);
        Object result = creator.isVectorSearch() ? search(criteria, accessor)
                : find(criteria, accessor, domainType());
        return processor.processResult(result);
    }

    private Class<?> domainType() {
        return method.getEntityInformation().getJavaType();
    }

    private <T> Object find(EdgeQueryCreator.Criteria criteria, ParametersParameterAccessor accessor,
            Class<T> type) {
        if (tree.isCountProjection()) {
            return template.count(criteria.filter());
        }
        if (tree.isExistsProjection()) {
            return template.exists(criteria.filter());
        }
        Pageable pageable = pageable(accessor);
        // The Pageable's sort joins when the page is applied; a Sort parameter joins here.
        Sort sort = method.getParameters().hasPageableParameter() ? tree.getSort()
                : tree.getSort().and(accessor.getSort());
        EdgeQuery query = EdgeQuery.of(criteria.filter()).with(sort).with(limit(accessor));
        if (tree.isDelete()) {
            List<?> deleted = template.delete(query, type);
            return deleteResult(deleted);
        }
        if (method.isPageQuery()) {
            return template.findPage(query, pageable, type);
        }
        if (method.isSliceQuery()) {
            if (pageable.isUnpaged()) {
                return new SliceImpl<>(template.find(query.with(pageable), type), pageable, false);
            }
            List<T> content = template.find(query.with(pageable).with(Limit.of(pageable.getPageSize() + 1)), type);
            boolean more = content.size() > pageable.getPageSize();
            return new SliceImpl<>(more ? content.subList(0, pageable.getPageSize()) : content, pageable, more);
        }
        query = query.with(pageable);
        if (method.isStreamQuery()) {
            return template.find(query, type).stream();
        }
        if (method.isCollectionQuery()) {
            return template.find(query, type);
        }
        List<?> found = template.find(query.with(smaller(query.limit(), Limit.of(2))), type);
        if (found.size() > 1) {
            throw new IncorrectResultSizeDataAccessException(method.describe() + " expects one result, found more",
                    1);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private Object deleteResult(List<?> deleted) {
        Class<?> returnType = method.getReturnType();
        if (returnType == void.class || returnType == Void.class) {
            return null;
        }
        if (returnType == long.class || returnType == Long.class) {
            return (long) deleted.size();
        }
        if (returnType == int.class || returnType == Integer.class) {
            return deleted.size();
        }
        if (method.isCollectionQuery()) {
            return deleted;
        }
        if (deleted.size() > 1) {
            throw new IncorrectResultSizeDataAccessException(method.describe() + " deleted " + deleted.size()
                    + " entities but returns one", 1, deleted.size());
        }
        return deleted.isEmpty() ? null : deleted.get(0);
    }

    private Object search(EdgeQueryCreator.Criteria criteria, ParametersParameterAccessor accessor) {
        EdgeVectorQuery query = EdgeVectorQuery.nearest(criteria.using(), criteria.vector())
                .withFilter(criteria.filter())
                .withThreshold(accessor.getScore())
                .withScoreRange(accessor.getScoreRange())
                .with(limit(accessor));
        Pageable pageable = pageable(accessor);
        if (pageable.isPaged()) {
            query = query.withOffset(pageable.getOffset()).with(Limit.of(pageable.getPageSize()));
        }
        boolean searchResults = method.isSearchQuery();
        boolean oneSearchResult = SearchResult.class.isAssignableFrom(method.getReturnType());
        boolean collection = method.isCollectionQuery() || method.isStreamQuery() || searchResults;
        if (!collection) {
            query = query.with(smaller(query.limit(), Limit.of(1)));
        }
        SearchResults<?> results = template.search(query, domainType());
        if (searchResults) {
            return SearchResults.class.isAssignableFrom(method.getReturnType()) ? results
                    : method.isStreamQuery() ? results.stream() : new ArrayList<>(results.getContent());
        }
        if (oneSearchResult) {
            return results.getContent().isEmpty() ? null : results.getContent().get(0);
        }
        if (method.isStreamQuery()) {
            return results.contentStream();
        }
        List<Object> entities = new ArrayList<>();
        results.contentStream().forEach(entities::add);
        if (method.isCollectionQuery()) {
            return entities;
        }
        return entities.isEmpty() ? null : entities.get(0);
    }

    /** The {@code Pageable} argument (Spring Data's accessor also makes one of a {@code Limit}). */
    private Pageable pageable(ParametersParameterAccessor accessor) {
        return method.getParameters().hasPageableParameter() ? accessor.getPageable() : Pageable.unpaged();
    }

    /** {@code Top}/{@code First} of the name and a {@code Limit} argument: the smaller one. */
    private Limit limit(ParametersParameterAccessor accessor) {
        Limit limit = tree.isLimiting() ? Limit.of(tree.getMaxResults()) : Limit.unlimited();
        return smaller(limit, accessor.getLimit());
    }

    private static Limit smaller(Limit a, Limit b) {
        if (a.isUnlimited()) {
            return b;
        }
        if (b.isUnlimited()) {
            return a;
        }
        return a.max() <= b.max() ? a : b;
    }
}
