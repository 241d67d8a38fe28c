package dev.qdrantedge.spring.client;

import com.google.protobuf.Timestamp;
import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParseException;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.Geo;
import dev.qdrantedge.engine.filter.Match;
import dev.qdrantedge.engine.filter.Range;
import dev.qdrantedge.engine.filter.ValuesCount;
import dev.qdrantedge.engine.idtracker.PointId;
import io.qdrant.client.grpc.Common;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Converts Qdrant filters from REST JSON to gRPC {@link Common.Filter}s. The JSON is read by the engine's
 * {@link FilterParser} (so exactly what Qdrant's REST API accepts is accepted, with its checks), then every
 * part is carried over: {@code must}, {@code should}, {@code must_not}, {@code min_should}; field conditions
 * with {@code match} (value, any, except, text, text_any, phrase), numeric and datetime {@code range}, geo
 * bounding box, radius and polygon, {@code values_count}, {@code is_empty}, {@code is_null}; the conditions
 * {@code is_empty}, {@code is_null}, {@code has_id}, {@code has_vector}, {@code nested}, and nested filters.
 *
 * <p>Where the protocols differ:
 * <ul>
 *   <li>{@code match.prefix} has no gRPC form in the 1.18 protocol: a {@link GrpcMappingException} naming its
 *       path;</li>
 *   <li>gRPC sends a geo radius as a 32-bit float: the radius is rounded to the nearest float, as Qdrant
 *       itself does when it forwards a filter to another peer;</li>
 *   <li>gRPC cannot tell an empty {@code should} list from an absent one. The two mean the same outside
 *       {@code nested}; inside it, an empty {@code should} matches nothing, so it is sent as a {@code should}
 *       holding the one condition that never matches, {@code has_id} of no ids.</li>
 * </ul>
 */
public final class GrpcFilterMapper {

    private static final Common.Condition NEVER = Common.Condition.newBuilder()
            .setHasId(Common.HasIdCondition.getDefaultInstance()).build();

    private GrpcFilterMapper() {
    }

    /**
     * The gRPC form of a REST JSON filter.
     *
     * @param json the filter object
     * @param where the filter's JSON path, which error messages start with (e.g. {@code "filter"})
     * @throws GrpcMappingException when the JSON is not a valid filter, or a part of it has no gRPC form; the
     *     message names the JSON path
     */
    public static Common.Filter toGrpc(JsonNode json, String where) {
        Filter filter;
        try {
            filter = FilterParser.parse(json, where);
        } catch (FilterParseException e) {
            throw new GrpcMappingException(e.path(), e.problem(), e);
        }
        return filter(filter, json, where, false);
    }

    /** Whether a filter in gRPC form restricts nothing (no clause holds a condition). */
    public static boolean isEmpty(Common.Filter filter) {
        return filter.equals(Common.Filter.getDefaultInstance());
    }

    private static Common.Filter filter(Filter f, JsonNode json, String where, boolean inNested) {
        Common.Filter.Builder b = Common.Filter.newBuilder();
        if (f.must() != null) {
            b.addAllMust(clause(f.must(), json.get("must"), where + ".must", inNested));
        }
        if (f.should() != null) {
            if (f.should().isEmpty() && inNested) {
                b.addShould(NEVER);
            } else {
                b.addAllShould(clause(f.should(), json.get("should"), where + ".should", inNested));
            }
        }
        if (f.mustNot() != null) {
            b.addAllMustNot(clause(f.mustNot(), json.get("must_not"), where + ".must_not", inNested));
        }
        if (f.minShould() != null) {
            String w = where + ".min_should.conditions";
            b.setMinShould(Common.MinShould.newBuilder()
                    .addAllConditions(clause(f.minShould().conditions(), json.get("min_should").get("conditions"), w,
                            inNested))
                    .setMinCount(f.minShould().minCount()));
        }
        return b.build();
    }

    /** The conditions of a clause; the JSON is an array of them or, in REST's short form, one object. */
    private static List<Common.Condition> clause(List<Condition> conditions, JsonNode json, String where,
            boolean inNested) {
        List<Common.Condition> out = new ArrayList<>(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            boolean array = json.isArray();
            out.add(condition(conditions.get(i), array ? json.get(i) : json, array ? where + "[" + i + "]" : where,
                    inNested));
        }
        return out;
    }

    private static Common.Condition condition(Condition c, JsonNode json, String where, boolean inNested) {
        Common.Condition.Builder b = Common.Condition.newBuilder();
        if (c instanceof FieldCondition field) {
            return b.setField(field(field, where)).build();
        }
        if (c instanceof Filter filter) {
            return b.setFilter(filter(filter, json, where, inNested)).build();
        }
        if (c instanceof Condition.IsEmpty isEmpty) {
            return b.setIsEmpty(Common.IsEmptyCondition.newBuilder().setKey(isEmpty.key().toString())).build();
        }
        if (c instanceof Condition.IsNull isNull) {
            return b.setIsNull(Common.IsNullCondition.newBuilder().setKey(isNull.key().toString())).build();
        }
        if (c instanceof Condition.HasId hasId) {
            Common.HasIdCondition.Builder ids = Common.HasIdCondition.newBuilder();
            for (PointId id : hasId.ids()) {
                ids.addHasId(pointId(id));
            }
            return b.setHasId(ids).build();
        }
        if (c instanceof Condition.HasVector hasVector) {
            return b.setHasVector(Common.HasVectorCondition.newBuilder().setHasVector(hasVector.name())).build();
        }
        Condition.Nested nested = (Condition.Nested) c;
        return b.setNested(Common.NestedCondition.newBuilder()
                .setKey(nested.key().toString())
                .setFilter(filter(nested.filter(), json.get("nested").get("filter"), where + ".nested.filter", true)))
                .build();
    }

    /** The gRPC form of a point id. */
    public static Common.PointId pointId(PointId id) {
        if (id instanceof PointId.Num num) {
            return Common.PointId.newBuilder().setNum(num.value()).build();
        }
        return Common.PointId.newBuilder().setUuid(((PointId.Uuid) id).uuid().toString()).build();
    }

    private static Common.FieldCondition field(FieldCondition c, String where) {
        Common.FieldCondition.Builder b = Common.FieldCondition.newBuilder().setKey(c.key().toString());
        if (c.match() != null) {
            b.setMatch(match(c.match(), where + ".match"));
        }
        if (c.range() instanceof Range.Numeric numeric) {
            Common.Range.Builder r = Common.Range.newBuilder();
            if (numeric.lt() != null) {
                r.setLt(numeric.lt());
            }
            if (numeric.gt() != null) {
                r.setGt(numeric.gt());
            }
            if (numeric.gte() != null) {
                r.setGte(numeric.gte());
            }
            if (numeric.lte() != null) {
                r.setLte(numeric.lte());
            }
            b.setRange(r);
        } else if (c.range() instanceof Range.DateTime datetime) {
            Common.DatetimeRange.Builder r = Common.DatetimeRange.newBuilder();
            if (datetime.lt() != null) {
                r.setLt(timestamp(datetime.lt()));
            }
            if (datetime.gt() != null) {
                r.setGt(timestamp(datetime.gt()));
            }
            if (datetime.gte() != null) {
                r.setGte(timestamp(datetime.gte()));
            }
            if (datetime.lte() != null) {
                r.setLte(timestamp(datetime.lte()));
            }
            b.setDatetimeRange(r);
        }
        if (c.geoBoundingBox() != null) {
            b.setGeoBoundingBox(Common.GeoBoundingBox.newBuilder()
                    .setTopLeft(geoPoint(c.geoBoundingBox().topLeft()))
                    .setBottomRight(geoPoint(c.geoBoundingBox().bottomRight())));
        }
        if (c.geoRadius() != null) {
            b.setGeoRadius(Common.GeoRadius.newBuilder()
                    .setCenter(geoPoint(c.geoRadius().center()))
                    .setRadius((float) c.geoRadius().radius()));
        }
        if (c.geoPolygon() != null) {
            Common.GeoPolygon.Builder polygon = Common.GeoPolygon.newBuilder()
                    .setExterior(lineString(c.geoPolygon().exterior()));
            if (c.geoPolygon().interiors() != null) {
                for (List<Geo.Point> ring : c.geoPolygon().interiors()) {
                    polygon.addInteriors(lineString(ring));
                }
            }
            b.setGeoPolygon(polygon);
        }
        if (c.valuesCount() != null) {
            ValuesCount v = c.valuesCount();
            Common.ValuesCount.Builder count = Common.ValuesCount.newBuilder();
            if (v.lt() != null) {
                count.setLt(v.lt());
            }
            if (v.gt() != null) {
                count.setGt(v.gt());
            }
            if (v.gte() != null) {
                count.setGte(v.gte());
            }
            if (v.lte() != null) {
                count.setLte(v.lte());
            }
            b.setValuesCount(count);
        }
        if (c.isEmpty() != null) {
            b.setIsEmpty(c.isEmpty());
        }
        if (c.isNull() != null) {
            b.setIsNull(c.isNull());
        }
        return b.build();
    }

    private static Common.Match match(Match m, String where) {
        Common.Match.Builder b = Common.Match.newBuilder();
        if (m instanceof Match.Value value) {
            Object v = value.value();
            if (v instanceof String s) {
                b.setKeyword(s);
            } else if (v instanceof Long l) {
                b.setInteger(l);
            } else {
                b.setBoolean((Boolean) v);
            }
        } else if (m instanceof Match.Text text) {
            b.setText(text.text());
        } else if (m instanceof Match.TextAny textAny) {
            b.setTextAny(textAny.textAny());
        } else if (m instanceof Match.Phrase phrase) {
            b.setPhrase(phrase.phrase());
        } else if (m instanceof Match.Any any) {
            if (any.values() instanceof Match.Keywords keywords) {
                b.setKeywords(Common.RepeatedStrings.newBuilder().addAllStrings(keywords.keywords()));
            } else {
                b.setIntegers(Common.RepeatedIntegers.newBuilder()
                        .addAllIntegers(((Match.Integers) any.values()).integers()));
            }
        } else if (m instanceof Match.Except except) {
            if (except.values() instanceof Match.Keywords keywords) {
                b.setExceptKeywords(Common.RepeatedStrings.newBuilder().addAllStrings(keywords.keywords()));
            } else {
                b.setExceptIntegers(Common.RepeatedIntegers.newBuilder()
                        .addAllIntegers(((Match.Integers) except.values()).integers()));
            }
        } else {
            throw new GrpcMappingException(where + ".prefix", "prefix matching has no form in Qdrant's gRPC protocol"
                    + " of client 1.18 (it came with server 1.19); the operation cannot be delivered over gRPC");
        }
        return b.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Common.GeoPoint geoPoint(Geo.Point p) {
        return Common.GeoPoint.newBuilder().setLon(p.lon()).setLat(p.lat()).build();
    }

    private static Common.GeoLineString lineString(List<Geo.Point> points) {
        Common.GeoLineString.Builder b = Common.GeoLineString.newBuilder();
        for (Geo.Point p : points) {
            b.addPoints(geoPoint(p));
        }
        return b.build();
    }
}
