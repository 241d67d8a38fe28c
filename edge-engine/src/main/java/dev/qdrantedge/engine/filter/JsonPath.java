package dev.qdrantedge.engine.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A payload key in Qdrant's path syntax: a first key followed by {@code .key}, {@code [n]} (one array
 * element) and {@code []} (every array element) steps. Keys made of letters, digits, {@code _} and
 * {@code -} are written bare; any other key is written in double quotes, which may hold anything but
 * {@code "} and {@code \} (there are no escapes): {@code meta."a.b"[0].c}, {@code "first key"}.
 *
 * <p>Value extraction follows Qdrant exactly: a key step only looks into objects and an index or
 * {@code []} step only into arrays; nothing else is traversed implicitly, so {@code a.b} finds nothing in
 * {@code {"a": [{"b": 1}]}} (that takes {@code a[].b}).
 *
 * @param firstKey the first key
 * @param rest the steps after it
 */
public record JsonPath(String firstKey, List<Step> rest) {

    /** One step after the first key. */
    public sealed interface Step permits Key, Index, Wildcard {
    }

    /** {@code .name}: a key of an object. */
    public record Key(String name) implements Step {
        public Key {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code [n]}: one element of an array. */
    public record Index(int index) implements Step {
        public Index {
            if (index < 0) {
                throw new IllegalArgumentException("negative index " + index);
            }
        }
    }

    /** {@code []}: every element of an array. */
    public record Wildcard() implements Step {
    }

    private static final Wildcard WILDCARD = new Wildcard();

    public JsonPath {
        Objects.requireNonNull(firstKey, "firstKey");
        rest = List.copyOf(rest);
    }

    /** A path of one key (taken literally, never parsed). */
    public static JsonPath ofKey(String key) {
        return new JsonPath(key, List.of());
    }

    /**
     * Parses Qdrant's path syntax.
     *
     * @throws IllegalArgumentException when {@code text} is not a valid path
     */
    public static JsonPath parse(String text) {
        Objects.requireNonNull(text, "text");
        int[] pos = {0};
        String first = key(text, pos);
        if (first == null) {
            throw invalid(text);
        }
        List<Step> steps = new ArrayList<>();
        while (pos[0] < text.length()) {
            char c = text.charAt(pos[0]);
            if (c == '.') {
                pos[0]++;
                String k = key(text, pos);
                if (k == null) {
                    throw invalid(text);
                }
                steps.add(new Key(k));
            } else if (c == '[') {
                int close = text.indexOf(']', pos[0]);
                if (close < 0) {
                    throw invalid(text);
                }
                String digits = text.substring(pos[0] + 1, close);
                if (digits.isEmpty()) {
                    steps.add(WILDCARD);
                } else {
                    for (int i = 0; i < digits.length(); i++) {
                        char d = digits.charAt(i);
                        if (d < '0' || d > '9') {
                            throw invalid(text);
                        }
                    }
                    int index;
                    try {
                        index = Integer.parseInt(digits);
                    } catch (NumberFormatException e) {
                        try {
                            Long.parseUnsignedLong(digits);
                        } catch (NumberFormatException tooLarge) {
                            throw invalid(text);
                        }
                        // A valid index past any array's end: it selects nothing.
                        index = Integer.MAX_VALUE;
                    }
                    steps.add(new Index(index));
                }
                pos[0] = close + 1;
            } else {
                throw invalid(text);
            }
        }
        return new JsonPath(first, steps);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid JSON path '" + text + "'");
    }

    /** A bare key (at least one letter, digit, '_' or '-') or a quoted one; null when neither is there. */
    private static String key(String text, int[] pos) {
        int start = pos[0];
        if (start < text.length() && text.charAt(start) == '"') {
            int end = start + 1;
            while (end < text.length() && text.charAt(end) != '"') {
                if (text.charAt(end) == '\\') {
                    return null;
                }
                end++;
            }
            if (end >= text.length()) {
                return null;
            }
            pos[0] = end + 1;
            return text.substring(start + 1, end);
        }
        int end = start;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            if (!isBareKeyChar(cp)) {
                break;
            }
            end += Character.charCount(cp);
        }
        if (end == start) {
            return null;
        }
        pos[0] = end;
        return text.substring(start, end);
    }

    /** Letters and numbers in the Unicode sense (alphabetic or numeric), '_' and '-'. */
    static boolean isBareKeyChar(int cp) {
        if (cp == '_' || cp == '-') {
            return true;
        }
        if (Character.isAlphabetic(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    static boolean needsQuoting(String key) {
        if (key.isEmpty()) {
            return true;
        }
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if (!isBareKeyChar(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** This path with a trailing {@code []} added unless it already ends with one (how nested keys work). */
    public JsonPath arrayKey() {
        if (!rest.isEmpty() && rest.get(rest.size() - 1) instanceof Wildcard) {
            return this;
        }
        List<Step> steps = new ArrayList<>(rest);
        steps.add(WILDCARD);
        return new JsonPath(firstKey, steps);
    }

    /**
     * The values this path selects in {@code payload} (an object), in document order; empty when the path
     * leads nowhere. A JSON {@code null} found at the end of the path is a value.
     */
    public List<JsonNode> values(JsonNode payload) {
        List<JsonNode> out = new ArrayList<>(1);
        if (payload != null && payload.isObject()) {
            JsonNode first = payload.get(firstKey);
            if (first != null) {
                collect(first, 0, out);
            }
        }
        return out;
    }

    private void collect(JsonNode value, int step, List<JsonNode> out) {
        if (step == rest.size()) {
            out.add(value);
            return;
        }
        Step s = rest.get(step);
        if (s instanceof Key) {
            if (value.isObject()) {
                JsonNode next = value.get(((Key) s).name());
                if (next != null) {
                    collect(next, step + 1, out);
                }
            }
        } else if (s instanceof Index) {
            int i = ((Index) s).index();
            if (value.isArray() && i < value.size()) {
                collect(value.get(i), step + 1, out);
            }
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                collect(element, step + 1, out);
            }
        }
    }

    /** The path in Qdrant's syntax, keys quoted where needed; {@link #parse} reads it back. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        appendKey(b, firstKey);
        for (Step s : rest) {
            if (s instanceof Key) {
                b.append('.');
                appendKey(b, ((Key) s).name());
            } else if (s instanceof Index) {
                b.append('[').append(((Index) s).index()).append(']');
            } else {
                b.append("[]");
            }
        }
        return b.toString();
    }

    private static void appendKey(StringBuilder b, String key) {
        if (needsQuoting(key)) {
            b.append('"').append(key).append('"');
        } else {
            b.append(key);
        }
    }
}
