package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.DateTimes;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.Geo;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scores the points of a query's prefetches by a {@link ScoringQuery.Formula}, as Qdrant does: every point
 * found by any prefetch is scored (in double precision, reported as a float), those below the score
 * threshold are dropped and the best {@code limit} kept. Payload variables are read from the payload as Qdrant
 * reads keys without a payload index (see {@link #value}). A payload variable without a value and without a
 * default, a value of the wrong type (not a number, not a {@code {"lon", "lat"}} geo point, not a datetime
 * string), or a result that is not finite is an {@link InvalidSearchException} naming the problem.
 */
final class FormulaScorer {

    private final ScoringQuery.Formula formula;
    private final List<Map<PointId, Float>> prefetchScores = new ArrayList<>();
    private final Map<PointId, ObjectNode> payloads = new HashMap<>();
    private final Map<Condition, Set<PointId>> matching = new IdentityHashMap<>();

    private FormulaScorer(ScoringQuery.Formula formula) {
        this.formula = formula;
    }

    static List<ScoredPoint> top(EdgeOperations ops, ScoringQuery.Formula formula, List<List<ScoredPoint>> sources,
            int limit, Float scoreThreshold) {
        FormulaScorer scorer = new FormulaScorer(formula);
        Map<PointId, ScoredPoint> points = new LinkedHashMap<>();
        for (List<ScoredPoint> source : sources) {
            Map<PointId, Float> scores = new HashMap<>();
            for (ScoredPoint p : source) {
                scores.put(p.id(), p.score());
                points.putIfAbsent(p.id(), p);
            }
            scorer.prefetchScores.add(scores);
        }
        if (points.isEmpty()) {
            return List.of();
        }
        for (Record r : ops.retrieve(points.keySet(), true, false)) {
            scorer.payloads.put(r.id(), r.payload());
        }
        scorer.matchConditions(ops, formula.expression(), Set.copyOf(points.keySet()));
        List<ScoredPoint> scored = new ArrayList<>();
        for (ScoredPoint p : points.values()) {
            if (!scorer.payloads.containsKey(p.id())) {
                continue; // deleted meanwhile
            }
            double value = scorer.eval(formula.expression(), p.id());
            float score = (float) value;
            if (!Float.isFinite(score)) {
                throw new InvalidSearchException("The formula's result is not finite: " + value + " as f32 = "
                        + score);
            }
            if (scoreThreshold == null || score >= scoreThreshold) {
                scored.add(new ScoredPoint(p.id(), p.version(), score, null, null));
            }
        }
        scored.sort(Comparator.comparingDouble(ScoredPoint::score).reversed());
        return scored.size() > limit ? new ArrayList<>(scored.subList(0, limit)) : scored;
    }

    private void matchConditions(EdgeOperations ops, FormulaExpression e, Set<PointId> ids) {
        if (e instanceof FormulaExpression.Matches) {
            Condition condition = ((FormulaExpression.Matches) e).condition();
            Set<PointId> found = new HashSet<>();
            Filter filter = Filter.must(condition, new Condition.HasId(ids));
            ScrollRequest page = new ScrollRequest(null, 1024, filter, WithPayload.NONE, WithVector.NONE);
            while (true) {
                ScrollPage result = ops.scroll(page);
                result.points().forEach(r -> found.add(r.id()));
                if (result.nextOffset() == null) {
                    break;
                }
                page = page.from(result.nextOffset());
            }
            matching.put(condition, found);
        } else if (e instanceof FormulaExpression.Sum) {
            ((FormulaExpression.Sum) e).terms().forEach(t -> matchConditions(ops, t, ids));
        } else if (e instanceof FormulaExpression.Mult) {
            ((FormulaExpression.Mult) e).factors().forEach(t -> matchConditions(ops, t, ids));
        } else if (e instanceof FormulaExpression.Div) {
            matchConditions(ops, ((FormulaExpression.Div) e).left(), ids);
            matchConditions(ops, ((FormulaExpression.Div) e).right(), ids);
        } else if (e instanceof FormulaExpression.Pow) {
            matchConditions(ops, ((FormulaExpression.Pow) e).base(), ids);
            matchConditions(ops, ((FormulaExpression.Pow) e).exponent(), ids);
        } else if (e instanceof FormulaExpression.Unary) {
            matchConditions(ops, ((FormulaExpression.Unary) e).argument(), ids);
        } else if (e instanceof FormulaExpression.Decay) {
            FormulaExpression.Decay decay = (FormulaExpression.Decay) e;
            matchConditions(ops, decay.x(), ids);
            if (decay.target() != null) {
                matchConditions(ops, decay.target(), ids);
            }
        }
    }

    private double eval(FormulaExpression e, PointId id) {
        if (e instanceof FormulaExpression.Constant) {
            return ((FormulaExpression.Constant) e).value();
        }
        if (e instanceof FormulaExpression.Score) {
            FormulaExpression.Score s = (FormulaExpression.Score) e;
            Float score = s.index() < prefetchScores.size() ? prefetchScores.get(s.index()).get(id) : null;
            if (score != null) {
                return score;
            }
            JsonNode fallback = formula.defaults().get(s.defaultKey());
            return fallback != null && fallback.isNumber() ? fallback.doubleValue() : 0.0;
        }
        if (e instanceof FormulaExpression.Payload) {
            return payloadValue((FormulaExpression.Payload) e, id);
        }
        if (e instanceof FormulaExpression.Matches) {
            return matching.get(((FormulaExpression.Matches) e).condition()).contains(id) ? 1.0 : 0.0;
        }
        if (e instanceof FormulaExpression.Sum) {
            double sum = 0.0;
            for (FormulaExpression term : ((FormulaExpression.Sum) e).terms()) {
                sum += eval(term, id);
            }
            return sum;
        }
        if (e instanceof FormulaExpression.Mult) {
            double product = 1.0;
            for (FormulaExpression factor : ((FormulaExpression.Mult) e).factors()) {
                double v = eval(factor, id);
                if (v == 0.0) {
                    return 0.0;
                }
                product *= v;
            }
            return product;
        }
        if (e instanceof FormulaExpression.Div) {
            FormulaExpression.Div div = (FormulaExpression.Div) e;
            double left = eval(div.left(), id);
            if (left == 0.0) {
                return 0.0;
            }
            double right = eval(div.right(), id);
            if (right == 0.0 && div.byZeroDefault() != null) {
                return div.byZeroDefault();
            }
            return finite(left / right, left + "/" + right);
        }
        if (e instanceof FormulaExpression.Pow) {
            FormulaExpression.Pow pow = (FormulaExpression.Pow) e;
            double base = eval(pow.base(), id);
            double exponent = eval(pow.exponent(), id);
            return finite(Math.pow(base, exponent), base + "^" + exponent);
        }
        if (e instanceof FormulaExpression.GeoDistance) {
            FormulaExpression.GeoDistance geo = (FormulaExpression.GeoDistance) e;
            Geo.Point to = geoPoint(geo.to(), value(geo.to(), geo.defaultKey(), id, "geo point"), id);
            return Geo.distanceMeters(geo.origin().lon(), geo.origin().lat(), to.lon(), to.lat());
        }
        if (e instanceof FormulaExpression.DateTime) {
            return seconds(((FormulaExpression.DateTime) e).value());
        }
        if (e instanceof FormulaExpression.DateTimeKey) {
            FormulaExpression.DateTimeKey key = (FormulaExpression.DateTimeKey) e;
            JsonNode value = value(key.key(), key.defaultKey(), id, "datetime");
            if (!value.isString()) {
                throw variableError(key.key(), id, "expected a datetime string, found " + value);
            }
            Instant instant = DateTimes.parse(value.asString()).orElseThrow(() -> variableError(key.key(), id,
                    "expected a datetime, found " + value));
            return seconds(instant);
        }
        if (e instanceof FormulaExpression.Decay) {
            FormulaExpression.Decay decay = (FormulaExpression.Decay) e;
            double x = eval(decay.x(), id);
            double target = decay.target() == null ? 0.0 : eval(decay.target(), id);
            double lambda = decay.lambda();
            switch (decay.kind()) {
                case EXP:
                    return Math.exp(lambda * Math.abs(x - target));
                case GAUSS:
                    return Math.exp(lambda * (x - target) * (x - target));
                default:
                    return Math.max(-lambda * Math.abs(x - target) + 1.0, 0.0);
            }
        }
        FormulaExpression.Unary unary = (FormulaExpression.Unary) e;
        double x = eval(unary.argument(), id);
        switch (unary.function()) {
            case NEG:
                return -x;
            case ABS:
                return Math.abs(x);
            case SQRT:
                return finite(Math.sqrt(x), "sqrt(" + x + ")");
            case EXP:
                return finite(Math.exp(x), "exp(" + x + ")");
            case LOG10:
                return finite(Math.log10(x), "log10(" + x + ")");
            default:
                return finite(Math.log(x), "ln(" + x + ")");
        }
    }

    private double payloadValue(FormulaExpression.Payload variable, PointId id) {
        JsonNode value = value(variable.key(), variable.defaultKey(), id, "number");
        if (!value.isNumber()) {
            throw variableError(variable.key(), id, "expected a number, found " + value);
        }
        return value.doubleValue();
    }

    /**
     * The value at {@code key} in the point's payload as Qdrant reads a variable from the payload: the values
     * the path selects, arrays among them flattened (unless the path ends with {@code []}, which already
     * flattens); none: the formula's default for {@code defaultKey} (an error naming the expected type when
     * there is none); one: that value (a {@code null} too, which no type accepts); several: an array of them,
     * which no type accepts either.
     */
    private JsonNode value(JsonPath key, String defaultKey, PointId id, String expected) {
        List<JsonNode> found = key.values(payloads.get(id));
        boolean flattened = !key.rest().isEmpty() && key.rest().get(key.rest().size() - 1) instanceof JsonPath.Wildcard;
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        for (JsonNode v : found) {
            if (v.isArray() && !flattened) {
                v.forEach(values::add);
            } else {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            JsonNode fallback = formula.defaults().get(defaultKey);
            if (fallback == null) {
                throw variableError(key, id, "no value found in the payload nor in defaults (expected a " + expected
                        + ")");
            }
            return fallback;
        }
        return values.size() == 1 ? values.get(0) : values;
    }

    private static Geo.Point geoPoint(JsonPath key, JsonNode value, PointId id) {
        JsonNode lon = value.isObject() ? value.get("lon") : null;
        JsonNode lat = value.isObject() ? value.get("lat") : null;
        if (lon == null || lat == null || !lon.isNumber() || !lat.isNumber()) {
            throw variableError(key, id, "expected a geo point {\"lon\": number, \"lat\": number}, found " + value);
        }
        try {
            return new Geo.Point(lon.doubleValue(), lat.doubleValue());
        } catch (IllegalArgumentException e) {
            throw variableError(key, id, "expected a geo point, found " + value + " (" + e.getMessage() + ")");
        }
    }

    /** Whole microseconds since the epoch (rounded down), divided by a million. */
    private static double seconds(Instant instant) {
        return PayloadOrder.micros(instant) / 1_000_000.0;
    }

    /** "Formula variable 'key' of point id: problem", the problem ending with the expected type. */
    private static InvalidSearchException variableError(JsonPath key, PointId id, String problem) {
        return new InvalidSearchException("Formula variable '" + key + "' of point " + id + ": " + problem);
    }

    private static double finite(double value, String expression) {
        if (!Double.isFinite(value)) {
            throw new InvalidSearchException("The formula's value is not finite: " + expression + " = " + value);
        }
        return value;
    }
}
