package dev.qdrantedge.engine.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Compares a payload read from disk with the reference engine's answer: same structure, same key order,
 * integers of the same exact value, strings, booleans and nulls equal. Floats must be equal or, because the
 * reference engine re-parses the stored JSON text with a float parser that is not correctly rounded, a few
 * units in the last place apart (seen: up to 2 for values near 1e-301). Such differences are counted. That the
 * reader itself is exact is shown by payloads written literally in a scenario file, compared bit for bit.
 */
public final class PayloadComparison {

    public static final long MAX_ULPS = 4;

    private int floatsUlpsApart;

    /** How many floats differed from the reference (by at most {@link #MAX_ULPS}). */
    public int floatsUlpsApart() {
        return floatsUlpsApart;
    }

    public void assertSame(JsonNode actual, JsonNode expected, String path) {
        assertThat(actual).as(path).isNotNull();
        if (expected.isFloatingPointNumber()) {
            assertThat(actual.isFloatingPointNumber()).as(path + " is a float: " + actual).isTrue();
            double a = actual.doubleValue();
            double e = expected.doubleValue();
            long distance = Math.abs(Double.doubleToRawLongBits(a) - Double.doubleToRawLongBits(e));
            if (distance != 0) {
                assertThat(Math.signum(a)).as(path + " sign").isEqualTo(Math.signum(e));
                assertThat(distance).as(path + ": " + a + " vs reference " + e + ", ulps apart")
                        .isLessThanOrEqualTo(MAX_ULPS);
                floatsUlpsApart++;
            }
        } else if (expected.isIntegralNumber()) {
            assertThat(actual.isIntegralNumber()).as(path + " is an integer: " + actual).isTrue();
            assertThat(actual.bigIntegerValue()).as(path).isEqualTo(expected.bigIntegerValue());
        } else if (expected.isObject()) {
            assertThat(actual.isObject()).as(path + " is an object").isTrue();
            assertThat(new ArrayList<>(actual.propertyNames())).as(path + " keys in order")
                    .isEqualTo(new ArrayList<>(expected.propertyNames()));
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                assertSame(actual.get(e.getKey()), e.getValue(), path + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertThat(actual.isArray()).as(path + " is an array").isTrue();
            assertThat(actual.size()).as(path + " size").isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSame(actual.get(i), expected.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    static List<String> keys(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }
}
