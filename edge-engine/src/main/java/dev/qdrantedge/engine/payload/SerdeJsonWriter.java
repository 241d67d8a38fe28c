package dev.qdrantedge.engine.payload;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes JSON text byte for byte as Qdrant's {@code serde_json::to_vec} does for a payload: compact, object
 * keys in their order, UTF-8 without escaping non-ASCII, and numbers as {@code serde_json} prints them.
 *
 * <ul>
 *   <li>Integers that fit a signed or unsigned 64-bit number print as integers. Larger integer nodes, decimal
 *       nodes and floats print as the {@code f64} they denote.</li>
 *   <li>{@code f64} uses the shortest decimal that reads back as the same double (the closest such, ties to
 *       even), laid out as current {@code serde_json} does (its {@code zmij} formatter: the {@code ryu} layout
 *       with an explicit {@code +} in positive exponents): {@code 1.0}, {@code 0.00001}, {@code 1e+16},
 *       {@code 1.5e-7}, {@code 5e-324}, {@code -0.0}; plain digits when the value is at least 1e-5 and below
 *       1e16, else {@code d.ddde±x}. Java's {@code Double.toString} differs ({@code 1.0E-300},
 *       {@code 4.9E-324}). Non-finite values, which {@code serde_json} cannot hold, print as {@code null}.</li>
 *   <li>Strings escape {@code "} and {@code \} with a backslash, {@code \b \f \n \r \t} by name, other control
 *       characters below U+0020 as {@code \}{@code u00xx} (lowercase hex); everything else, including
 *       {@code /} and U+007F, is written raw.</li>
 * </ul>
 */
public final class SerdeJsonWriter {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SerdeJsonWriter() {
    }

    /** The UTF-8 bytes of {@code node} as {@code serde_json::to_vec} writes it. */
    public static byte[] toBytes(JsonNode node) {
        return toString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code node} as {@code serde_json::to_string} writes it. */
    public static String toString(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT:
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : ((ObjectNode) node).properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
                break;
            case ARRAY:
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
                break;
            case STRING:
                writeString(node.asString(), out);
                break;
            case BOOLEAN:
                out.append(node.booleanValue() ? "true" : "false");
                break;
            case NULL:
                out.append("null");
                break;
            case NUMBER:
                writeNumber(node, out);
                break;
            default:
                throw new IllegalArgumentException("a payload cannot hold a " + node.getNodeType() + " node");
        }
    }

    private static void writeNumber(JsonNode node, StringBuilder out) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                out.append(node.longValue());
                return;
            }
            BigInteger value = node.bigIntegerValue();
            if (value.compareTo(U64_MAX) <= 0 && value.compareTo(I64_MIN) >= 0) {
                out.append(value);
                return;
            }
            out.append(formatDouble(value.doubleValue()));
            return;
        }
        out.append(formatDouble(node.isFloat() ? (double) node.floatValue() : node.doubleValue()));
    }

    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** A double as {@code serde_json} prints it (the {@code ryu} layout of the shortest round-trip decimal). */
    public static String formatDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        StringBuilder out = new StringBuilder(24);
        if (Double.doubleToRawLongBits(value) < 0) {
            out.append('-');
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return out.append("0.0").toString();
        }
        BigDecimal shortest = shortest(magnitude).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int length = digits.length();
        int k = -shortest.scale();
        int kk = length + k;
        if (k >= 0 && kk <= 16) {
            out.append(digits);
            for (int i = length; i < kk; i++) {
                out.append('0');
            }
            out.append(".0");
        } else if (kk > 0 && kk <= 16) {
            out.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -5 && kk <= 0) {
            out.append("0.");
            for (int i = kk; i < 0; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (length == 1) {
            out.append(digits).append(exponent(kk - 1));
        } else {
            out.append(digits.charAt(0)).append('.').append(digits, 1, length).append(exponent(kk - 1));
        }
        return out.toString();
    }

    private static String exponent(int e) {
        return e < 0 ? "e" + e : "e+" + e;
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value} (positive, finite);
     * among several such, the one closest to {@code value}, and on a tie the one ending in an even digit.
     */
    static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downOk = Double.parseDouble(down.toString()) == value;
            boolean upOk = Double.parseDouble(up.toString()) == value;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                if (cmp < 0) {
                    return down;
                }
                if (cmp > 0) {
                    return up;
                }
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        // Seventeen significant digits always identify a double; not reached.
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
}
