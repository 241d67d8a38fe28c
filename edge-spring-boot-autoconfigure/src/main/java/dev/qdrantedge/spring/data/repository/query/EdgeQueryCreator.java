package dev.qdrantedge.spring.data.repository.query;

import static dev.qdrantedge.spring.data.repository.query.PayloadConditions.not;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.data.core.EdgeEntityConverter;
import dev.qdrantedge.spring.data.core.VectorValues;
import dev.qdrantedge.spring.data.mapping.EdgePersistentEntity;
import dev.qdrantedge.spring.data.mapping.EdgePersistentProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.data.core.PropertyPath;
import org.springframework.data.domain.Vector;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.repository.query.ParameterAccessor;
import org.springframework.data.repository.query.QueryCreationException;
import org.springframework.data.repository.query.parser.Part;
import org.springframework.data.repository.query.parser.PartTree;

/**
 * Translates the criteria of a derived query method's name into a Qdrant filter (and, for a vector search, the
 * query vector). Everything that does not depend on argument values is checked when the repository is
 * created: unsupported keywords, keywords on properties of the wrong type, properties missing from the
 * payload, the vector part's rules; the error names the method.
 *
 * <p>Keywords (each on a payload property, dotted paths into nested objects and collections included):
 * {@code Is}/{@code Equals}, {@code Not}, {@code In}, {@code NotIn}, {@code Between}, {@code LessThan},
 * {@code LessThanEqual}, {@code GreaterThan}, {@code GreaterThanEqual}, {@code Before}, {@code After},
 * {@code IsNull}, {@code IsNotNull}, {@code Exists}, {@code IsEmpty}, {@code IsNotEmpty}, {@code True},
 * {@code False}, {@code Containing}, {@code NotContaining}, {@code Like}, {@code NotLike},
 * {@code StartingWith}; on the {@code @Id}: {@code Is}, {@code Not}, {@code In}, {@code NotIn} (Qdrant's
 * {@code has_id}); on an {@code @EdgeVector} property: {@code Near} and {@code Within} (the vector search).
 * {@code And} and {@code Or} combine them.
 */
final class EdgeQueryCreator {

    /** The filter and, for a vector search, the vector name and query vector of one invocation. */
    record Criteria(Filter filter, String using, VectorValue vector) {
    }

    /** Binds the arguments of one part of the name to a condition (or, for the vector part, to the vector). */
    private interface PartBinder {
        Condition bind(Iterator<Object> arguments, VectorValue[] vector);
    }

    private final EdgeQueryMethod method;
    private final EdgeEntityConverter converter;
    private final EdgePersistentEntity<?> entity;
    private final PayloadConditions conditions;
    private final List<List<PartBinder>> groups = new ArrayList<>();
    private Part vectorPart;

    /**
     * @throws QueryCreationException naming the method when the name asks for something unsupported
     */
    EdgeQueryCreator(PartTree tree, EdgeQueryMethod method, EdgeEntityConverter converter) {
        this.method = method;
        this.converter = converter;
        this.entity = converter.getRequiredEntity(method.getEntityInformation().getJavaType());
        this.conditions = new PayloadConditions(converter);
        int arguments = 0;
        int vectorArgument = -1;
        for (PartTree.OrPart or : tree) {
            List<PartBinder> group = new ArrayList<>();
            for (Part part : or) {
                if (part.getType() == Part.Type.NEAR || part.getType() == Part.Type.WITHIN) {
                    if (vectorPart != null) {
                        throw fail("a method has at most one Near or Within part; found " + vectorPart.getProperty()
                                .toDotPath() + " and " + part.getProperty().toDotPath());
                    }
                    vectorPart = part;
                    vectorArgument = arguments;
                }
                group.add(binder(part));
                arguments += part.getNumberOfArguments();
            }
            groups.add(group);
        }
        int bindable = method.getParameters().getBindableParameters().getNumberOfParameters();
        if (bindable != arguments) {
            throw fail("the name's criteria take " + arguments + " argument(s), but the method has " + bindable
                    + " (besides Pageable, Sort, Limit, Score and Range<Score>)");
        }
        if (vectorPart != null) {
            checkVectorSearch(tree, vectorArgument);
        } else if (method.returnsSearchResults()) {
            throw fail("a method returning search results needs a Near or Within part on an @EdgeVector property");
        } else if (method.getParameters().hasScoreParameter() || method.getParameters().hasScoreRangeParameter()) {
            throw fail("Score and Range<Score> parameters belong to vector searches (a Near or Within part)");
        }
    }

    /** Whether the method is a vector search. */
    boolean isVectorSearch() {
        return vectorPart != null;
    }

    /** The filter (and vector) for the arguments of one call. */
    Criteria bind(ParameterAccessor accessor) {
        Iterator<Object> arguments = accessor.iterator();
        VectorValue[] vector = {null};
        List<Condition> alternatives = new ArrayList<>();
        for (List<PartBinder> group : groups) {
            List<Condition> all = new ArrayList<>();
            for (PartBinder binder : group) {
                Condition condition = binder.bind(arguments, vector);
                if (condition != null) {
                    all.add(condition);
                }
            }
            if (!all.isEmpty()) {
                alternatives.add(all.size() == 1 ? all.get(0) : new Filter(all, null, null, null));
            }
        }
        Filter filter;
        if (alternatives.isEmpty()) {
            filter = null;
        } else if (alternatives.size() == 1) {
            filter = alternatives.get(0) instanceof Filter f ? f : Filter.must(alternatives.get(0));
        } else {
            filter = new Filter(null, alternatives, null, null);
        }
        String using = vectorPart == null ? null : vectorProperty(vectorPart).getVectorName();
        return new Criteria(filter, using, vector[0]);
    }

    // -----------------------------------------------------------------------------------------------
    // checks

    private void checkVectorSearch(PartTree tree, int vectorArgument) {
        if (tree.stream().count() > 1) {
            throw fail("a vector search combines its Near or Within part with other criteria by And only");
        }
        if (tree.isDelete() || tree.isCountProjection() || tree.isExistsProjection()) {
            throw fail("count, exists and delete methods cannot have a Near or Within part");
        }
        if (tree.getSort().isSorted() || method.getParameters().hasSortParameter()) {
            throw fail("the results of a vector search are ordered by score; OrderBy and Sort are not supported");
        }
        if (method.isPageQuery() || method.isSliceQuery() || method.isScrollQuery()) {
            throw fail("a vector search returns SearchResults, a List or Stream of SearchResult or of the entity, "
                    + "or a single result; not a Page, Slice or Window (use a Pageable parameter with one of these)");
        }
        if (vectorPart.getType() == Part.Type.WITHIN && !method.getParameters().hasScoreRangeParameter()) {
            throw fail("Within needs a Range<Score> parameter");
        }
        Class<?> type = method.getParameters().getBindableParameters().getParameter(vectorArgument).getType();
        if (!(Vector.class.isAssignableFrom(type) || type == float[].class || type == double[].class
                || Collection.class.isAssignableFrom(type) || VectorValue.class.isAssignableFrom(type))) {
            throw fail("the query vector of " + vectorPart.getProperty().toDotPath() + " must be a Vector, float[], "
                    + "double[], a List of numbers or an engine VectorValue; the parameter is a " + type.getName());
        }
    }

    private PartBinder binder(Part part) {
        PropertyPath path = part.getProperty();
        EdgePersistentProperty root = entity.getPersistentProperty(path.getSegment());
        Part.Type type = part.getType();
        String what = keyword(type) + " on " + path.getOwningType().getType().getSimpleName() + "."
                + path.toDotPath();
        if (root != null && root.isVector()) {
            if (type != Part.Type.NEAR && type != Part.Type.WITHIN) {
                throw fail(what + ": the vector property " + root.describe() + " supports only Near and Within");
            }
            checkIgnoreCase(part, what, false);
            return (arguments, vector) -> {
                Object value = arguments.next();
                if (value == null) {
                    throw new IllegalArgumentException("the query vector of " + method.describe() + " is null");
                }
                vector[0] = VectorValues.toQueryVector(value);
                return null;
            };
        }
        if (type == Part.Type.NEAR || type == Part.Type.WITHIN) {
            throw fail(what + ": Near and Within need a property annotated with @EdgeVector");
        }
        if (root != null && root.isIdProperty()) {
            checkIgnoreCase(part, what, false);
            return idBinder(type, what);
        }
        JsonPath key;
        try {
            key = converter.payloadPath(path);
        } catch (MappingException e) {
            throw fail(what + ": " + e.getMessage());
        }
        PropertyPath leaf = path.getLeafProperty();
        Class<?> leafType = leaf.getType();
        boolean collection = leaf.isCollection();
        boolean text = !collection && CharSequence.class.isAssignableFrom(leafType);
        PayloadConditions.Kind kind = PayloadConditions.Kind.of(leafType);
        switch (type) {
            case SIMPLE_PROPERTY:
                checkIgnoreCase(part, what, false);
                return (a, v) -> conditions.equalTo(key, a.next(), kind);
            case NEGATING_SIMPLE_PROPERTY:
                checkIgnoreCase(part, what, false);
                return (a, v) -> not(conditions.equalTo(key, a.next(), kind));
            case IN:
                checkIgnoreCase(part, what, false);
                return (a, v) -> conditions.in(key, a.next(), kind);
            case NOT_IN:
                checkIgnoreCase(part, what, false);
                return (a, v) -> not(conditions.in(key, a.next(), kind));
            case BETWEEN:
                requireOrdered(part, what, leafType);
                return (a, v) -> {
                    Object from = a.next();
                    Object to = a.next();
                    return conditions.range(key, null, from, null, to);
                };
            case LESS_THAN:
            case BEFORE:
                requireOrdered(part, what, leafType);
                return (a, v) -> conditions.range(key, null, null, a.next(), null);
            case LESS_THAN_EQUAL:
                requireOrdered(part, what, leafType);
                return (a, v) -> conditions.range(key, null, null, null, a.next());
            case GREATER_THAN:
            case AFTER:
                requireOrdered(part, what, leafType);
                return (a, v) -> conditions.range(key, a.next(), null, null, null);
            case GREATER_THAN_EQUAL:
                requireOrdered(part, what, leafType);
                return (a, v) -> conditions.range(key, null, a.next(), null, null);
            case IS_NULL:
            case IS_EMPTY:
                checkIgnoreCase(part, what, false);
                return (a, v) -> PayloadConditions.empty(key);
            case IS_NOT_NULL:
            case IS_NOT_EMPTY:
            case EXISTS:
                checkIgnoreCase(part, what, false);
                return (a, v) -> not(PayloadConditions.empty(key));
            case TRUE:
            case FALSE:
                checkIgnoreCase(part, what, false);
                if (leafType != boolean.class && leafType != Boolean.class) {
                    throw fail(what + ": True and False need a boolean property, not " + leafType.getSimpleName());
                }
                boolean flag = type == Part.Type.TRUE;
                return (a, v) -> PayloadConditions.flag(key, flag);
            case CONTAINING:
            case NOT_CONTAINING: {
                boolean negate = type == Part.Type.NOT_CONTAINING;
                if (collection) {
                    checkIgnoreCase(part, what, false);
                    return (a, v) -> negateIf(negate, conditions.equalTo(key, a.next(), kind));
                }
                requireText(what, text, leafType);
                checkIgnoreCase(part, what, true);
                return (a, v) -> negateIf(negate, PayloadConditions.text(key, a.next()));
            }
            case LIKE:
            case NOT_LIKE: {
                boolean negate = type == Part.Type.NOT_LIKE;
                requireText(what, text || (collection && CharSequence.class.isAssignableFrom(leafType)), leafType);
                checkIgnoreCase(part, what, true);
                return (a, v) -> negateIf(negate, PayloadConditions.text(key, a.next()));
            }
            case STARTING_WITH:
                requireText(what, CharSequence.class.isAssignableFrom(leafType), leafType);
                checkIgnoreCase(part, what, false);
                return (a, v) -> PayloadConditions.prefix(key, a.next());
            case ENDING_WITH:
                throw fail(what + ": Qdrant has no suffix match; use StartingWith, Containing or Like");
            case REGEX:
                throw fail(what + ": Qdrant has no regular expression match");
            default:
                throw fail(what + ": the keyword " + keyword(type) + " is not supported");
        }
    }

    private PartBinder idBinder(Part.Type type, String what) {
        Class<?> entityType = entity.getType();
        switch (type) {
            case SIMPLE_PROPERTY:
                return (a, v) -> new Condition.HasId(Set.of(pointId(a.next(), entityType)));
            case NEGATING_SIMPLE_PROPERTY:
                return (a, v) -> not(new Condition.HasId(Set.of(pointId(a.next(), entityType))));
            case IN:
                return (a, v) -> new Condition.HasId(pointIds(a.next(), entityType));
            case NOT_IN:
                return (a, v) -> not(new Condition.HasId(pointIds(a.next(), entityType)));
            default:
                throw fail(what + ": the id supports only Is/Equals, Not, In and NotIn");
        }
    }

    private PointId pointId(Object id, Class<?> entityType) {
        if (id == null) {
            throw new IllegalArgumentException("an id passed to " + method.describe() + " is null");
        }
        return converter.toPointId(id, entityType);
    }

    private Set<PointId> pointIds(Object ids, Class<?> entityType) {
        Set<PointId> result = new LinkedHashSet<>();
        for (Object id : PayloadConditions.elements(ids, JsonPath.ofKey(entity.getRequiredIdProperty().getName()))) {
            result.add(pointId(id, entityType));
        }
        return result;
    }

    private static Condition negateIf(boolean negate, Condition condition) {
        return negate ? not(condition) : condition;
    }

    private void requireOrdered(Part part, String what, Class<?> leafType) {
        checkIgnoreCase(part, what, false);
        if (!PayloadConditions.isNumber(leafType) && !PayloadConditions.isDateTime(leafType)) {
            throw fail(what + ": needs a numeric or date-time property (Qdrant's ranges), not "
                    + leafType.getSimpleName());
        }
    }

    private void requireText(String what, boolean ok, Class<?> leafType) {
        if (!ok) {
            throw fail(what + ": needs a String property (Qdrant's text match), not " + leafType.getSimpleName());
        }
    }

    /**
     * IgnoreCase only where the match ignores case anyway; AllIgnoreCase also on non-text properties (where case
     * does not apply), but not on text compared exactly.
     */
    private void checkIgnoreCase(Part part, String what, boolean caseInsensitiveMatch) {
        boolean text = CharSequence.class.isAssignableFrom(part.getProperty().getLeafProperty().getType());
        Part.IgnoreCaseType ignoreCase = part.shouldIgnoreCase();
        if (!caseInsensitiveMatch && (ignoreCase == Part.IgnoreCaseType.ALWAYS
                || (ignoreCase == Part.IgnoreCaseType.WHEN_POSSIBLE && text))) {
            throw fail(what + ": IgnoreCase is not supported here; Qdrant compares keywords exactly (only Like and "
                    + "Containing on text, a word match, ignore case)");
        }
    }

    private EdgePersistentProperty vectorProperty(Part part) {
        return entity.getRequiredPersistentProperty(part.getProperty().getSegment());
    }

    /** The keyword as written in method names: {@code GreaterThan}, {@code Not}, {@code Is}. */
    static String keyword(Part.Type type) {
        for (String keyword : type.getKeywords()) {
            if (!keyword.startsWith("Is") || keyword.equals("Is")) {
                return keyword;
            }
        }
        return type.getKeywords().iterator().next();
    }

    /** The error for an unsupported method; its message starts with {@code Repository.method:}. */
    private QueryCreationException fail(String reason) {
        return QueryCreationException.create(method, method.describe() + ": " + reason);
    }
}
