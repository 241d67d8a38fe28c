package dev.qdrantedge.spring.testsupport;

import com.google.protobuf.Timestamp;
import io.qdrant.client.grpc.Common;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * gRPC filters back to REST JSON, as Qdrant's server converts them: conditions without a kind are dropped
 * and a clause left without conditions is absent; {@code range} wins over {@code datetime_range}.
 */
final class GrpcFilterJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GrpcFilterJson() {
    }

    static ObjectNode filter(Common.Filter f) {
        ObjectNode out = NODES.objectNode();
        clause(out, "must", f.getMustList());
        clause(out, "should", f.getShouldList());
        clause(out, "must_not", f.getMustNotList());
        if (f.hasMinShould()) {
            ObjectNode min = out.putObject("min_should");
            min.set("conditions", conditions(f.getMinShould().getConditionsList()));
            min.put("min_count", f.getMinShould().getMinCount());
        }
        return out;
    }

    private static void clause(ObjectNode out, String name, List<Common.Condition> conditions) {
        ArrayNode array = conditions(conditions);
        if (!array.isEmpty()) {
            out.set(name, array);
        }
    }

    private static ArrayNode conditions(List<Common.Condition> conditions) {
        ArrayNode array = NODES.arrayNode();
        for (Common.Condition c : conditions) {
            JsonNode json = condition(c);
            if (json != null) {
                array.add(json);
            }
        }
        return array;
    }

    private static JsonNode condition(Common.Condition c) {
        ObjectNode out = NODES.objectNode();
        switch (c.getConditionOneOfCase()) {
            case FIELD:
                return field(c.getField());
            case IS_EMPTY:
                out.putObject("is_empty").put("key", c.getIsEmpty().getKey());
                return out;
            case IS_NULL:
                out.putObject("is_null").put("key", c.getIsNull().getKey());
                return out;
            case HAS_ID: {
                ArrayNode ids = out.putArray("has_id");
                for (Common.PointId id : c.getHasId().getHasIdList()) {
                    ids.add(pointId(id));
                }
                return out;
            }
            case HAS_VECTOR:
                out.put("has_vector", c.getHasVector().getHasVector());
                return out;
            case NESTED: {
                if (!c.getNested().hasFilter()) {
                    throw new IllegalArgumentException("Nested condition must have a filter");
                }
                ObjectNode nested = out.putObject("nested");
                nested.put("key", c.getNested().getKey());
                nested.set("filter", filter(c.getNested().getFilter()));
                return out;
            }
            case FILTER:
                return filter(c.getFilter());
            default:
                return null;
        }
    }

    static JsonNode pointId(Common.PointId id) {
        switch (id.getPointIdOptionsCase()) {
            case NUM:
                return NODES.numberNode(new java.math.BigInteger(Long.toUnsignedString(id.getNum())));
            case UUID:
                return NODES.stringNode(id.getUuid());
            default:
                throw new IllegalArgumentException("Empty ID is not allowed");
        }
    }

    private static ObjectNode field(Common.FieldCondition f) {
        ObjectNode out = NODES.objectNode();
        out.put("key", f.getKey());
        if (f.hasMatch()) {
            out.set("match", match(f.getMatch()));
        }
        if (f.hasRange()) {
            ObjectNode r = out.putObject("range");
            Common.Range range = f.getRange();
            if (range.hasLt()) {
                r.put("lt", range.getLt());
            }
            if (range.hasGt()) {
                r.put("gt", range.getGt());
            }
            if (range.hasGte()) {
                r.put("gte", range.getGte());
            }
            if (range.hasLte()) {
                r.put("lte", range.getLte());
            }
        } else if (f.hasDatetimeRange()) {
            ObjectNode r = out.putObject("range");
            Common.DatetimeRange range = f.getDatetimeRange();
            if (range.hasLt()) {
                r.put("lt", instant(range.getLt()));
            }
            if (range.hasGt()) {
                r.put("gt", instant(range.getGt()));
            }
            if (range.hasGte()) {
                r.put("gte", instant(range.getGte()));
            }
            if (range.hasLte()) {
                r.put("lte", instant(range.getLte()));
            }
        }
        if (f.hasGeoBoundingBox()) {
            ObjectNode box = out.putObject("geo_bounding_box");
            box.set("top_left", geoPoint(f.getGeoBoundingBox().getTopLeft()));
            box.set("bottom_right", geoPoint(f.getGeoBoundingBox().getBottomRight()));
        }
        if (f.hasGeoRadius()) {
            ObjectNode radius = out.putObject("geo_radius");
            radius.set("center", geoPoint(f.getGeoRadius().getCenter()));
            radius.put("radius", (double) f.getGeoRadius().getRadius());
        }
        if (f.hasGeoPolygon()) {
            ObjectNode polygon = out.putObject("geo_polygon");
            polygon.set("exterior", lineString(f.getGeoPolygon().getExterior()));
            ArrayNode interiors = polygon.putArray("interiors");
            for (Common.GeoLineString ring : f.getGeoPolygon().getInteriorsList()) {
                interiors.add(lineString(ring));
            }
        }
        if (f.hasValuesCount()) {
            ObjectNode count = out.putObject("values_count");
            Common.ValuesCount v = f.getValuesCount();
            if (v.hasLt()) {
                count.put("lt", v.getLt());
            }
            if (v.hasGt()) {
                count.put("gt", v.getGt());
            }
            if (v.hasGte()) {
                count.put("gte", v.getGte());
            }
            if (v.hasLte()) {
                count.put("lte", v.getLte());
            }
        }
        if (f.hasIsEmpty()) {
            out.put("is_empty", f.getIsEmpty());
        }
        if (f.hasIsNull()) {
            out.put("is_null", f.getIsNull());
        }
        return out;
    }

    private static ObjectNode match(Common.Match m) {
        ObjectNode out = NODES.objectNode();
        switch (m.getMatchValueCase()) {
            case KEYWORD:
                out.put("value", m.getKeyword());
                break;
            case INTEGER:
                out.put("value", m.getInteger());
                break;
            case BOOLEAN:
                out.put("value", m.getBoolean());
                break;
            case TEXT:
                out.put("text", m.getText());
                break;
            case TEXT_ANY:
                out.put("text_any", m.getTextAny());
                break;
            case PHRASE:
                out.put("phrase", m.getPhrase());
                break;
            case KEYWORDS:
                m.getKeywords().getStringsList().forEach(out.putArray("any")::add);
                break;
            case INTEGERS:
                m.getIntegers().getIntegersList().forEach(out.putArray("any")::add);
                break;
            case EXCEPT_KEYWORDS:
                m.getExceptKeywords().getStringsList().forEach(out.putArray("except")::add);
                break;
            case EXCEPT_INTEGERS:
                m.getExceptIntegers().getIntegersList().forEach(out.putArray("except")::add);
                break;
            default:
                throw new IllegalArgumentException("Malformed Match condition");
        }
        return out;
    }

    private static String instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }

    private static ObjectNode geoPoint(Common.GeoPoint p) {
        ObjectNode out = NODES.objectNode();
        out.put("lon", p.getLon());
        out.put("lat", p.getLat());
        return out;
    }

    private static ObjectNode lineString(Common.GeoLineString ring) {
        ObjectNode out = NODES.objectNode();
        ArrayNode points = out.putArray("points");
        for (Common.GeoPoint p : ring.getPointsList()) {
            points.add(geoPoint(p));
        }
        return out;
    }
}
