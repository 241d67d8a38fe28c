package dev.qdrantedge.engine.query;

import static dev.qdrantedge.engine.io.JsonNodes.kind;
import static dev.qdrantedge.engine.io.JsonNodes.present;

import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.filter.DateTimes;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParseException;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.Geo;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.SearchParams;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Reads request bodies in Qdrant's REST JSON: {@code /points/search}, {@code /points/query},
 * {@code /points/scroll}, {@code /points/count} and {@code /facet}. As Qdrant, it ignores fields it does
 * not know and reads {@code null} as absent; it refuses, with an error naming the JSON path, values of the
 * wrong type or range, and features this engine does not have ({@code lookup_from}, {@code order_by} in
 * scroll, recommend/discover/context/sample queries). Filters are read by {@link FilterParser}, so their errors
 * carry the path too ({@code filter.must[0].range.gt: ...}).
 */
public final class RestRequests {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final List<String> OTHER_QUERIES = List.of("recommend", "discover", "context", "sample",
            "relevance_feedback");

    private RestRequests() {
    }

    /** A search body when it has {@code vector}, a query body otherwise. */
    public static QueryRequest parseSearchOrQuery(JsonNode body) {
        requireObject(body, "body");
        return present(body, "vector") ? parseSearch(body) : parseQuery(body);
    }

    /**
     * A {@code /points/search} body: {@code vector} (a dense vector for the default vector, or
     * {@code {"name", "vector"}} with a dense, multi-dense or sparse vector), {@code limit} (or {@code top};
     * required), {@code offset}, {@code filter}, {@code params}, {@code score_threshold},
     * {@code with_payload}, {@code with_vector} (or {@code with_vectors}).
     */
    public static QueryRequest parseSearch(JsonNode body) {
        requireObject(body, "body");
        JsonNode vector = body.get("vector");
        if (vector == null || vector.isNull()) {
            throw error("vector", "missing field");
        }
        String using = "";
        VectorValue value;
        if (vector.isArray()) {
            value = dense(vector, "vector");
        } else if (vector.isObject()) {
            using = string(required(vector, "name", "vector"), "vector.name");
            JsonNode inner = required(vector, "vector", "vector");
            value = vectorValue(inner, "vector.vector");
        } else {
            throw error("vector", "expected a vector (an array of numbers) or {\"name\": ..., \"vector\": ...}, found "
                    + kind(vector));
        }
        String limitKey = present(body, "limit") ? "limit" : "top";
        if (!present(body, limitKey)) {
            throw error("limit", "missing field");
        }
        int limit = positiveInt(body.get(limitKey), limitKey);
        return new QueryRequest(false, List.of(), using, new VectorInput.Vector(value), filter(body), limit,
                offset(body),
                scoreThreshold(body), withPayload(body, false), withVector(body), params(body));
    }

    /**
     * A {@code /points/query} body: {@code prefetch} (one or a list, nested), {@code query} (see below; absent:
     * points in id order), {@code using}, {@code limit} (default 10), {@code offset}, {@code filter},
     * {@code params}, {@code score_threshold}, {@code with_payload}, {@code with_vector}. A query is a dense,
     * multi-dense or sparse vector, a point id, {@code {"nearest": ...}} of those, {@code {"nearest": ...,
     * "mmr": {"diversity", "candidates_limit"}}}, {@code {"fusion": "rrf"|"dbsf"}}, {@code {"rrf": {"k",
     * "weights"}}}, {@code {"order_by": key | {"key", "direction", "start_from"}}} ({@code start_from} a number
     * or a datetime string) or {@code {"formula": ..., "defaults": {...}}} (see {@link FormulaExpression});
     * recommend, discover, context, sample and relevance feedback queries, and {@code lookup_from}, are
     * refused.
     */
    public static QueryRequest parseQuery(JsonNode body) {
        requireObject(body, "body");
        if (present(body, "lookup_from")) {
            throw error("lookup_from", "lookup_from is not supported by this engine");
        }
        List<Prefetch> prefetches = present(body, "prefetch") ? prefetches(body.get("prefetch"), "prefetch")
                : List.of();
        ScoringQuery query = present(body, "query") ? scoringQuery(body.get("query"), "query") : null;
        if (query == null && !prefetches.isEmpty()) {
            throw error("query", "a query with prefetches needs a query to rescore them with");
        }
        String using = present(body, "using") ? string(body.get("using"), "using") : "";
        int limit = present(body, "limit") ? positiveInt(body.get("limit"), "limit") : 10;
        return new QueryRequest(true, prefetches, using, query, filter(body), limit, offset(body),
                scoreThreshold(body), withPayload(body, false), withVector(body), params(body));
    }

    private static List<Prefetch> prefetches(JsonNode node, String where) {
        List<Prefetch> out = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(prefetch(node.get(i), where + "[" + i + "]"));
            }
        } else {
            out.add(prefetch(node, where));
        }
        return out;
    }

    private static Prefetch prefetch(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw error(where, "expected a prefetch object, found " + kind(node));
        }
        if (present(node, "lookup_from")) {
            throw error(where + ".lookup_from", "lookup_from is not supported by this engine");
        }
        List<Prefetch> nested = present(node, "prefetch") ? prefetches(node.get("prefetch"), where + ".prefetch")
                : List.of();
        ScoringQuery query = present(node, "query") ? scoringQuery(node.get("query"), where + ".query") : null;
        if (query == null && !nested.isEmpty()) {
            throw error(where + ".query", "a prefetch with prefetches needs a query to rescore them with");
        }
        String using = present(node, "using") ? string(node.get("using"), where + ".using") : "";
        int limit = present(node, "limit") ? positiveInt(node.get("limit"), where + ".limit") : 10;
        Filter filter = present(node, "filter") ? FilterParser.parse(node.get("filter"), where + ".filter") : null;
        Float threshold = present(node, "score_threshold")
                ? floatValue(node.get("score_threshold"), where + ".score_threshold") : null;
        return new Prefetch(nested, query, using, filter, limit, threshold, params(node, where + ".params"));
    }

    private static ScoringQuery scoringQuery(JsonNode node, String where) {
        if (!node.isObject()) {
            return queryInput(node, where);
        }
        if (node.has("nearest") && present(node, "mmr")) {
            return mmr(node, where);
        }
        if (node.has("nearest")) {
            return queryInput(node, where);
        }
        if (node.has("fusion")) {
            JsonNode fusion = node.get("fusion");
            String name = fusion.isString() ? fusion.asString() : "";
            if (name.equals("rrf")) {
                return new ScoringQuery.Fusion(ScoringQuery.FusionMethod.RRF, ScoringQuery.DEFAULT_RRF_K);
            }
            if (name.equals("dbsf")) {
                return new ScoringQuery.Fusion(ScoringQuery.FusionMethod.DBSF, 0);
            }
            throw error(where + ".fusion", "expected \"rrf\" or \"dbsf\", found " + fusion);
        }
        if (node.has("rrf")) {
            JsonNode rrf = node.get("rrf");
            int k = ScoringQuery.DEFAULT_RRF_K;
            List<Float> weights = null;
            if (rrf != null && !rrf.isNull()) {
                requireObject(rrf, where + ".rrf");
                if (present(rrf, "k")) {
                    k = positiveInt(rrf.get("k"), where + ".rrf.k");
                }
                if (present(rrf, "weights")) {
                    JsonNode w = rrf.get("weights");
                    if (!w.isArray()) {
                        throw error(where + ".rrf.weights", "expected a list of numbers, found " + kind(w));
                    }
                    weights = new ArrayList<>();
                    for (int i = 0; i < w.size(); i++) {
                        weights.add(floatValue(w.get(i), where + ".rrf.weights[" + i + "]"));
                    }
                }
            }
            return new ScoringQuery.Fusion(ScoringQuery.FusionMethod.RRF, k, weights);
        }
        if (node.has("order_by")) {
            return orderBy(node.get("order_by"), where + ".order_by");
        }
        if (node.has("formula")) {
            Map<String, JsonNode> defaults = new LinkedHashMap<>();
            if (present(node, "defaults")) {
                JsonNode d = node.get("defaults");
                requireObject(d, where + ".defaults");
                for (Map.Entry<String, JsonNode> e : d.properties()) {
                    defaults.put(defaultKey(e.getKey(), where + ".defaults." + e.getKey()), e.getValue());
                }
            }
            return new ScoringQuery.Formula(expression(node.get("formula"), where + ".formula"), defaults);
        }
        if (node.has("mmr")) {
            throw error(where + ".nearest", "an mmr query needs \"nearest\": the vector results are relevant to");
        }
        for (String other : OTHER_QUERIES) {
            if (node.has(other)) {
                throw error(where + "." + other, other + " queries are not supported by this engine; only "
                        + "nearest, mmr (with nearest), fusion, rrf, order_by and formula queries are");
            }
        }
        return queryInput(node, where);
    }

    private static ScoringQuery.Mmr mmr(JsonNode node, String where) {
        VectorInput vector = queryInput(node.get("nearest"), where + ".nearest");
        JsonNode mmr = node.get("mmr");
        requireObject(mmr, where + ".mmr");
        float diversity = 0.5f;
        if (present(mmr, "diversity")) {
            diversity = floatValue(mmr.get("diversity"), where + ".mmr.diversity");
            if (!(diversity >= 0.0f && diversity <= 1.0f)) {
                throw error(where + ".mmr.diversity", "must be between 0 and 1, was " + diversity);
            }
        }
        Integer candidates = present(mmr, "candidates_limit")
                ? positiveInt(mmr.get("candidates_limit"), where + ".mmr.candidates_limit") : null;
        return new ScoringQuery.Mmr(vector, diversity, candidates);
    }

    private static ScoringQuery.OrderBy orderBy(JsonNode node, String where) {
        if (node.isString()) {
            return new ScoringQuery.OrderBy(path(node, where), false, null);
        }
        if (!node.isObject()) {
            throw error(where, "expected a payload key or {\"key\", \"direction\", \"start_from\"}, found "
                    + kind(node));
        }
        JsonPath key = path(required(node, "key", where), where + ".key");
        boolean descending = false;
        if (present(node, "direction")) {
            String direction = string(node.get("direction"), where + ".direction");
            if (!direction.equals("asc") && !direction.equals("desc")) {
                throw error(where + ".direction", "expected \"asc\" or \"desc\", found \"" + direction + "\"");
            }
            descending = direction.equals("desc");
        }
        Double startFrom = null;
        if (present(node, "start_from")) {
            JsonNode from = node.get("start_from");
            if (from.isNumber()) {
                startFrom = from.doubleValue();
            } else if (from.isString()) {
                Instant instant = DateTimes.parse(from.asString()).orElseThrow(() -> error(where + ".start_from",
                        "'" + from.asString() + "' does not match accepted datetime format (RFC3339). Example: "
                                + "2014-01-01T00:00:00Z"));
                startFrom = (double) PayloadOrder.micros(instant);
            } else {
                throw error(where + ".start_from", "expected a number or a datetime string, found " + kind(from));
            }
        }
        return new ScoringQuery.OrderBy(key, descending, startFrom);
    }

    /** Expressions of some client APIs that Qdrant's REST formula grammar does not have. */
    private static final List<String> NOT_REST_EXPRESSIONS = List.of("max", "min", "acosh");
    private static final String EXPRESSION_NAMES = "sum, mult, neg, abs, div, sqrt, pow, exp, log10, ln, "
            + "geo_distance, datetime, datetime_key, lin_decay, exp_decay, gauss_decay";

    private static FormulaExpression expression(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw error(where, "missing expression");
        }
        if (node.isNumber()) {
            return new FormulaExpression.Constant((float) node.doubleValue());
        }
        if (node.isString()) {
            String variable = node.asString();
            Integer score = scoreIndex(variable);
            if (score != null) {
                return new FormulaExpression.Score(score);
            }
            if (variable.startsWith("$")) {
                throw error(where, "unknown variable '" + variable + "': expected $score, $score[i] or a payload key");
            }
            return new FormulaExpression.Payload(path(node, where));
        }
        if (!node.isObject()) {
            throw error(where, "expected an expression (a number, a variable, an object), found " + kind(node));
        }
        if (node.has("sum")) {
            return new FormulaExpression.Sum(expressions(node.get("sum"), where + ".sum"));
        }
        if (node.has("mult")) {
            return new FormulaExpression.Mult(expressions(node.get("mult"), where + ".mult"));
        }
        for (FormulaExpression.Function f : FormulaExpression.Function.values()) {
            if (node.has(f.jsonName())) {
                return new FormulaExpression.Unary(f, expression(node.get(f.jsonName()), where + "." + f.jsonName()));
            }
        }
        if (node.has("div")) {
            JsonNode div = node.get("div");
            requireObject(div, where + ".div");
            Double byZero = present(div, "by_zero_default")
                    ? (double) floatValue(div.get("by_zero_default"), where + ".div.by_zero_default") : null;
            return new FormulaExpression.Div(expression(div.get("left"), where + ".div.left"),
                    expression(div.get("right"), where + ".div.right"), byZero);
        }
        if (node.has("pow")) {
            JsonNode pow = node.get("pow");
            requireObject(pow, where + ".pow");
            return new FormulaExpression.Pow(expression(pow.get("base"), where + ".pow.base"),
                    expression(pow.get("exponent"), where + ".pow.exponent"));
        }
        if (node.has("geo_distance")) {
            JsonNode geo = node.get("geo_distance");
            requireObject(geo, where + ".geo_distance");
            Geo.Point origin;
            try {
                origin = FilterParser.parseGeoPoint(required(geo, "origin", where + ".geo_distance"),
                        where + ".geo_distance.origin");
            } catch (FilterParseException e) {
                throw error(e.path(), e.problem());
            }
            return new FormulaExpression.GeoDistance(origin,
                    path(required(geo, "to", where + ".geo_distance"), where + ".geo_distance.to"));
        }
        if (node.has("datetime")) {
            return new FormulaExpression.DateTime(dateTime(node.get("datetime"), where + ".datetime"));
        }
        if (node.has("datetime_key")) {
            return new FormulaExpression.DateTimeKey(path(node.get("datetime_key"), where + ".datetime_key"));
        }
        for (FormulaExpression.DecayKind kind : FormulaExpression.DecayKind.values()) {
            if (node.has(kind.jsonName())) {
                return decay(kind, node.get(kind.jsonName()), where + "." + kind.jsonName());
            }
        }
        for (String other : NOT_REST_EXPRESSIONS) {
            if (node.has(other)) {
                throw error(where + "." + other, "not an expression of Qdrant's REST formula grammar; expected a "
                        + "number, a variable, a condition, or one of " + EXPRESSION_NAMES);
            }
        }
        return new FormulaExpression.Matches(FilterParser.parseCondition(node, where));
    }

    private static FormulaExpression.Decay decay(FormulaExpression.DecayKind kind, JsonNode node, String where) {
        requireObject(node, where);
        FormulaExpression x = expression(required(node, "x", where), where + ".x");
        FormulaExpression target = present(node, "target") ? expression(node.get("target"), where + ".target") : null;
        double scale = present(node, "scale") ? floatValue(node.get("scale"), where + ".scale") : 1.0;
        double midpoint = present(node, "midpoint") ? floatValue(node.get("midpoint"), where + ".midpoint") : 0.5;
        try {
            return new FormulaExpression.Decay(kind, x, target, FormulaExpression.Decay.lambda(kind, midpoint, scale));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains("scale") ? ".scale" : ".midpoint";
            throw error(where + field, e.getMessage());
        }
    }

    /** A datetime string as Qdrant reads datetimes ({@link DateTimes}). */
    private static Instant dateTime(JsonNode node, String where) {
        String text = string(node, where);
        return DateTimes.parse(text).orElseThrow(() -> error(where, "failed to parse date-time " + text
                + ": expected an RFC 3339 datetime (or one of Qdrant's other datetime forms), e.g. "
                + "2014-01-01T00:00:00Z"));
    }

    private static List<FormulaExpression> expressions(JsonNode node, String where) {
        if (!node.isArray()) {
            throw error(where, "expected a list of expressions, found " + kind(node));
        }
        List<FormulaExpression> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(expression(node.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    /** 0 for {@code $score}, i for {@code $score[i]}, otherwise {@code null}. */
    private static Integer scoreIndex(String variable) {
        if (variable.equals("$score")) {
            return 0;
        }
        if (variable.startsWith("$score[") && variable.endsWith("]")) {
            String digits = variable.substring(7, variable.length() - 1);
            if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 10) {
                return Integer.parseInt(digits);
            }
        }
        return null;
    }

    private static String defaultKey(String key, String where) {
        Integer score = scoreIndex(key);
        if (score != null) {
            return new FormulaExpression.Score(score).defaultKey();
        }
        try {
            return JsonPath.parse(key).toString();
        } catch (IllegalArgumentException e) {
            throw error(where, "Invalid json path: '" + key + "'");
        }
    }

    /**
     * A {@code /points/scroll} body: {@code offset} (a point id), {@code limit} (default 10), {@code filter},
     * {@code with_payload} (default true), {@code with_vector} (default false).
     */
    public static ScrollRequest parseScroll(JsonNode body) {
        requireObject(body, "body");
        if (present(body, "order_by")) {
            throw error("order_by", "order_by is not supported by this engine");
        }
        PointId offset = present(body, "offset") ? pointId(body.get("offset"), "offset") : null;
        int limit = present(body, "limit") ? positiveInt(body.get("limit"), "limit") : ScrollRequest.DEFAULT_LIMIT;
        return new ScrollRequest(offset, limit, filter(body), withPayload(body, true), withVector(body));
    }

    /** A {@code /points/count} body: {@code filter}, {@code exact} (default true). */
    public static CountRequest parseCount(JsonNode body) {
        requireObject(body, "body");
        boolean exact = !present(body, "exact") || bool(body.get("exact"), "exact");
        return new CountRequest(filter(body), exact);
    }

    /** A {@code /facet} body: {@code key} (required), {@code limit} (default 10), {@code filter}, {@code exact}. */
    public static FacetRequest parseFacet(JsonNode body) {
        requireObject(body, "body");
        if (!present(body, "key")) {
            throw error("key", "missing field");
        }
        JsonPath key = path(body.get("key"), "key");
        int limit = present(body, "limit") ? positiveInt(body.get("limit"), "limit") : FacetRequest.DEFAULT_LIMIT;
        boolean exact = present(body, "exact") && bool(body.get("exact"), "exact");
        return new FacetRequest(key, limit, filter(body), exact);
    }

    // -----------------------------------------------------------------------------------------------

    private static VectorInput queryInput(JsonNode node, String where) {
        if (node.isObject()) {
            if (node.has("nearest")) {
                JsonNode nearest = node.get("nearest");
                if (nearest.isObject() && !nearest.has("indices")) {
                    throw error(where + ".nearest", "expected a vector or a point id, found an object");
                }
                return queryInput(nearest, where + ".nearest");
            }
            if (node.has("indices") || node.has("values")) {
                return new VectorInput.Vector(sparse(node, where));
            }
            throw error(where, "expected a vector, a point id or {\"nearest\": ...}");
        }
        if (node.isIntegralNumber() || node.isString()) {
            return new VectorInput.Point(pointId(node, where));
        }
        if (node.isArray()) {
            return new VectorInput.Vector(vectorValue(node, where));
        }
        throw error(where, "expected a vector, a point id or {\"nearest\": ...}, found " + kind(node));
    }

    /** A dense vector (array of numbers), multi-dense (array of arrays) or sparse ({indices, values}). */
    private static VectorValue vectorValue(JsonNode node, String where) {
        if (node.isObject()) {
            return sparse(node, where);
        }
        if (!node.isArray()) {
            throw error(where, "expected a vector, found " + kind(node));
        }
        if (node.size() > 0 && node.get(0).isArray()) {
            float[][] rows = new float[node.size()][];
            for (int i = 0; i < rows.length; i++) {
                JsonNode row = node.get(i);
                if (!row.isArray()) {
                    throw error(where + "[" + i + "]", "expected an array of numbers (a multi-dense vector is an "
                            + "array of vectors), found " + kind(row));
                }
                rows[i] = floats(row, where + "[" + i + "]");
                if (rows[i].length != rows[0].length) {
                    throw error(where + "[" + i + "]", "all vectors of a multi-dense vector must have the same "
                            + "length: " + rows[i].length + " vs " + rows[0].length);
                }
            }
            if (rows[0].length == 0) {
                throw error(where + "[0]", "the vectors of a multi-dense vector must not be empty");
            }
            return new MultiDenseVector(rows);
        }
        return dense(node, where);
    }

    private static DenseVector dense(JsonNode node, String where) {
        return new DenseVector(floats(node, where));
    }

    private static float[] floats(JsonNode array, String where) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = floatValue(array.get(i), where + "[" + i + "]");
        }
        return out;
    }

    private static SparseVector sparse(JsonNode node, String where) {
        JsonNode indices = required(node, "indices", where);
        JsonNode values = required(node, "values", where);
        if (!indices.isArray()) {
            throw error(where + ".indices", "expected an array of non-negative integers, found " + kind(indices));
        }
        if (!values.isArray()) {
            throw error(where + ".values", "expected an array of numbers, found " + kind(values));
        }
        int[] dims = new int[indices.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = indices.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0 || d.longValue() > 0xFFFFFFFFL) {
                throw error(where + ".indices[" + i + "]", "expected an unsigned 32-bit integer, found " + kind(d));
            }
            dims[i] = (int) d.longValue();
        }
        float[] weights = floats(values, where + ".values");
        if (dims.length != weights.length) {
            throw error(where, "indices and values must have the same length: " + dims.length + " vs "
                    + weights.length);
        }
        return new SparseVector(dims, weights);
    }

    private static Filter filter(JsonNode body) {
        return present(body, "filter") ? FilterParser.parse(body.get("filter"), "filter") : null;
    }

    private static int offset(JsonNode body) {
        return present(body, "offset") ? nonNegativeInt(body.get("offset"), "offset") : 0;
    }

    private static Float scoreThreshold(JsonNode body) {
        return present(body, "score_threshold") ? floatValue(body.get("score_threshold"), "score_threshold") : null;
    }

    private static SearchParams params(JsonNode body) {
        return params(body, "params");
    }

    private static SearchParams params(JsonNode body, String where) {
        if (!present(body, "params")) {
            return SearchParams.DEFAULT;
        }
        JsonNode params = body.get("params");
        requireObject(params, where);
        boolean exact = present(params, "exact") && bool(params.get("exact"), where + ".exact");
        Integer ef = present(params, "hnsw_ef") ? nonNegativeInt(params.get("hnsw_ef"), where + ".hnsw_ef") : null;
        if (present(params, "indexed_only")) {
            bool(params.get("indexed_only"), where + ".indexed_only");
        }
        for (String ignored : List.of("quantization", "acorn", "idf")) {
            if (present(params, ignored) && !params.get(ignored).isObject()) {
                throw error(where + "." + ignored, "expected an object, found " + kind(params.get(ignored)));
            }
        }
        return new SearchParams(exact, ef);
    }

    /** {@code with_payload}: a boolean, a list of keys to include, {"include": [...]} or {"exclude": [...]}. */
    static WithPayload withPayload(JsonNode body, boolean byDefault) {
        if (!present(body, "with_payload")) {
            return WithPayload.of(byDefault);
        }
        JsonNode node = body.get("with_payload");
        String where = "with_payload";
        if (node.isBoolean()) {
            return WithPayload.of(node.booleanValue());
        }
        if (node.isArray()) {
            return WithPayload.include(paths(node, where));
        }
        if (node.isObject()) {
            if (node.has("include") && node.has("exclude")) {
                throw error(where, "expected either include or exclude, not both");
            }
            if (node.has("include")) {
                return WithPayload.include(paths(node.get("include"), where + ".include"));
            }
            if (node.has("exclude")) {
                return WithPayload.exclude(paths(node.get("exclude"), where + ".exclude"));
            }
            throw error(where, "expected {\"include\": [...]} or {\"exclude\": [...]}");
        }
        throw error(where, "expected a boolean, a list of keys, {\"include\": [...]} or {\"exclude\": [...]}, found "
                + kind(node));
    }

    /** {@code with_vector} (alias {@code with_vectors}): a boolean or a list of vector names. */
    static WithVector withVector(JsonNode body) {
        String key = present(body, "with_vector") ? "with_vector" : "with_vectors";
        if (!present(body, key)) {
            return WithVector.NONE;
        }
        JsonNode node = body.get(key);
        if (node.isBoolean()) {
            return WithVector.of(node.booleanValue());
        }
        if (node.isArray()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                names.add(string(node.get(i), key + "[" + i + "]"));
            }
            return WithVector.names(names);
        }
        throw error(key, "expected a boolean or a list of vector names, found " + kind(node));
    }

    private static List<JsonPath> paths(JsonNode node, String where) {
        if (!node.isArray()) {
            throw error(where, "expected a list of payload keys, found " + kind(node));
        }
        List<JsonPath> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(path(node.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static JsonPath path(JsonNode node, String where) {
        String text = string(node, where);
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(where, "Invalid json path: '" + text + "'");
        }
    }

    static PointId pointId(JsonNode node, String where) {
        if (node.isIntegralNumber()) {
            BigInteger n = node.bigIntegerValue();
            if (n.signum() >= 0 && n.compareTo(U64_MAX) <= 0) {
                return PointId.of(n.longValue());
            }
        } else if (node.isString()) {
            UUID uuid = FilterParser.uuid(node.asString());
            if (uuid != null) {
                return PointId.of(uuid);
            }
        }
        throw error(where, "value " + node + " is not a valid point ID, valid values are either an unsigned "
                + "integer or a UUID");
    }

    private static float floatValue(JsonNode node, String where) {
        if (!node.isNumber()) {
            throw error(where, "expected a number, found " + kind(node));
        }
        // as serde reads an f32: the number as a double, then rounded to float
        return (float) node.doubleValue();
    }

    private static int positiveInt(JsonNode node, String where) {
        int n = nonNegativeInt(node, where);
        if (n < 1) {
            throw error(where, "must be at least 1, was 0");
        }
        return n;
    }

    private static int nonNegativeInt(JsonNode node, String where) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw error(where, "expected a non-negative integer, found " + kind(node));
        }
        return (int) Math.min(Integer.MAX_VALUE, node.longValue());
    }

    private static boolean bool(JsonNode node, String where) {
        if (!node.isBoolean()) {
            throw error(where, "expected a boolean, found " + kind(node));
        }
        return node.booleanValue();
    }

    private static String string(JsonNode node, String where) {
        if (!node.isString()) {
            throw error(where, "expected a string, found " + kind(node));
        }
        return node.asString();
    }

    private static JsonNode required(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw error(where + "." + field, "missing field");
        }
        return v;
    }

    private static void requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw error(where, "expected a JSON object, found " + kind(node));
        }
    }

    private static RequestParseException error(String where, String problem) {
        return new RequestParseException(where, problem);
    }
}
