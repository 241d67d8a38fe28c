package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.spring.data.mapping.EdgeMappingContext;
import dev.qdrantedge.spring.data.mapping.EdgePersistentEntity;
import dev.qdrantedge.spring.data.mapping.EdgePersistentProperty;
import java.util.Comparator;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.mapping.AccessOptions;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.mapping.PersistentPropertyPath;

/**
 * Sorts entities in memory by the values of their properties ({@code Comparable} values; dotted paths into
 * nested objects; nulls last unless the order says otherwise; {@code ignoreCase} for strings).
 */
final class EntitySorter {

    private final EdgeMappingContext mappingContext;

    EntitySorter(EdgeMappingContext mappingContext) {
        this.mappingContext = mappingContext;
    }

    <T> void sort(List<T> entities, Sort sort, Class<T> type) {
        if (sort.isUnsorted()) {
            return;
        }
        entities.sort(comparator(sort, type));
    }

    /**
     * The comparator of {@code sort} for entities of {@code type}.
     *
     * @throws MappingException when a sort property does not exist or runs through a collection
     */
    <T> Comparator<T> comparator(Sort sort, Class<T> type) {
        EdgePersistentEntity<?> entity = mappingContext.getRequiredPersistentEntity(type);
        Comparator<T> result = null;
        for (Sort.Order order : sort) {
            PersistentPropertyPath<EdgePersistentProperty> path = path(order.getProperty(), type);
            Comparator<T> next = (a, b) -> compare(value(entity, a, path), value(entity, b, path), order);
            result = result == null ? next : result.thenComparing(next);
        }
        return result;
    }

    private PersistentPropertyPath<EdgePersistentProperty> path(String property, Class<?> type) {
        PersistentPropertyPath<EdgePersistentProperty> path;
        try {
            path = mappingContext.getPersistentPropertyPath(property, type);
        } catch (RuntimeException e) {
            throw new MappingException("cannot sort " + type.getSimpleName() + " by '" + property + "': "
                    + e.getMessage(), e);
        }
        for (EdgePersistentProperty p : path) {
            if (p.isCollectionLike() || p.isMap()) {
                throw new MappingException("cannot sort " + type.getSimpleName() + " by '" + property + "': "
                        + p.describe() + " is a collection");
            }
        }
        return path;
    }

    private static Object value(EdgePersistentEntity<?> entity, Object bean,
            PersistentPropertyPath<EdgePersistentProperty> path) {
        return entity.getPropertyPathAccessor(bean).getProperty(path,
                AccessOptions.defaultGetOptions().withNullValues(AccessOptions.GetOptions.GetNulls.EARLY_RETURN));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b, Sort.Order order) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            boolean nullsFirst = order.getNullHandling() == Sort.NullHandling.NULLS_FIRST;
            return (a == null) == nullsFirst ? -1 : 1;
        }
        int c;
        if (order.isIgnoreCase() && a instanceof String x && b instanceof String y) {
            c = String.CASE_INSENSITIVE_ORDER.compare(x, y);
        } else if (a instanceof Comparable comparable) {
            c = comparable.compareTo(b);
        } else {
            throw new MappingException("cannot sort by '" + order.getProperty() + "': values of type "
                    + a.getClass().getName() + " are not Comparable");
        }
        return order.isAscending() ? c : -c;
    }
}
