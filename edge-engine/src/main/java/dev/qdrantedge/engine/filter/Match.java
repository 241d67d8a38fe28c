package dev.qdrantedge.engine.filter;

import java.util.List;
import java.util.Objects;

/**
 * The {@code match} part of a field condition. Each kind tests one value (array values are tested element
 * by element by the field condition):
 * <ul>
 *   <li>{@link Value}: a string equals a keyword, a boolean a boolean, an integer an integer. An integer
 *       never equals a float payload value, even {@code 5} and {@code 5.0}, nor an integer beyond the signed
 *       64-bit range;</li>
 *   <li>{@link Text}, {@link TextAny}, {@link Phrase}: without a full-text index, word matching on
 *       lower-cased words (runs of letters and numbers): all words, any word, or the words in sequence; a
 *       text without words matches nothing;</li>
 *   <li>{@link Prefix}: the string value starts with the prefix;</li>
 *   <li>{@link Any}: a string value is one of the keywords, or an integer value one of the integers;</li>
 *   <li>{@link Except}: the value is not {@code null} and is not one of the values; a value of another
 *       type than the list (a boolean, object, nested array, float, a number against keywords, a string
 *       against integers) passes.</li>
 * </ul>
 */
public sealed interface Match permits Match.Value, Match.Text, Match.TextAny, Match.Phrase, Match.Prefix,
        Match.Any, Match.Except {

    /** {@code {"value": v}} with {@code v} a {@link String}, {@link Long} or {@link Boolean}. */
    record Value(Object value) implements Match {
        public Value {
            if (!(value instanceof String || value instanceof Long || value instanceof Boolean)) {
                throw new IllegalArgumentException("match value must be a String, Long or Boolean, was "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
        }

        public static Value of(String keyword) {
            return new Value(keyword);
        }

        public static Value of(long integer) {
            return new Value(integer);
        }

        public static Value of(boolean flag) {
            return new Value(flag);
        }
    }

    /** {@code {"text": t}}. */
    record Text(String text) implements Match {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code {"text_any": t}}. */
    record TextAny(String textAny) implements Match {
        public TextAny {
            Objects.requireNonNull(textAny, "textAny");
        }
    }

    /** {@code {"phrase": p}}. */
    record Phrase(String phrase) implements Match {
        public Phrase {
            Objects.requireNonNull(phrase, "phrase");
        }
    }

    /** {@code {"prefix": p}}. */
    record Prefix(String prefix) implements Match {
        public Prefix {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** {@code {"any": [...]}}. */
    record Any(Values values) implements Match {
        public Any {
            Objects.requireNonNull(values, "values");
        }
    }

    /** {@code {"except": [...]}}. */
    record Except(Values values) implements Match {
        public Except {
            Objects.requireNonNull(values, "values");
        }
    }

    /** The list of {@code any}/{@code except}: all keywords or all integers (an empty list is keywords). */
    sealed interface Values permits Keywords, Integers {
    }

    /** A list of keywords. */
    record Keywords(List<String> keywords) implements Values {
        public Keywords {
            keywords = List.copyOf(keywords);
        }
    }

    /** A list of signed 64-bit integers. */
    record Integers(List<Long> integers) implements Values {
        public Integers {
            integers = List.copyOf(integers);
        }
    }
}
