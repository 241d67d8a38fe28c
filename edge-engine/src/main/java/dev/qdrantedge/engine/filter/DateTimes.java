package dev.qdrantedge.engine.filter;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Datetime text as Qdrant reads it in payloads and datetime range bounds. Accepted:
 * <ul>
 *   <li>RFC 3339: {@code 2014-01-01T00:00:00Z}, {@code 2014-01-01T00:00:00.123456+02:00}; the separator may
 *       also be {@code t} or a space, the zone {@code z};</li>
 *   <li>offsets without a colon or without minutes: {@code 2020-03-01T00:00:00-0900}, {@code ...+09};
 *       {@code UTC} as a zone, after optional spaces;</li>
 *   <li>no zone at all (taken as UTC): {@code 2020-03-01T00:00:00.12}, {@code 2020-03-01 00:00:00},
 *       {@code 2020-03-01T10:30}, {@code 2020-03-01 10:30}, {@code 2020-03-01};</li>
 *   <li>month, day, hour, minute and second of one or two digits in the non-RFC forms.</li>
 * </ul>
 * Fractions of a second keep up to 9 digits (further digits are ignored). Years have 4 digits. Leap
 * seconds ({@code :60}) are not accepted.
 */
public final class DateTimes {

    private DateTimes() {
    }

    /** The instant {@code text} denotes, or empty when it is not a datetime. */
    public static Optional<Instant> parse(String text) {
        try {
            return Optional.ofNullable(new Scanner(text).parse());
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static final class Scanner {
        private final String s;
        private int pos;

        Scanner(String s) {
            this.s = s;
        }

        Instant parse() {
            int year = digits(4, 4);
            if (year < 0 || !accept('-')) {
                return null;
            }
            int month = digits(1, 2);
            if (month < 0 || !accept('-')) {
                return null;
            }
            int day = digits(1, 2);
            if (day < 0) {
                return null;
            }
            if (pos == s.length()) {
                return LocalDateTime.of(year, month, day, 0, 0).toInstant(ZoneOffset.UTC);
            }
            char sep = s.charAt(pos++);
            if (sep != 'T' && sep != 't' && sep != ' ') {
                return null;
            }
            int hour = digits(1, 2);
            if (hour < 0 || !accept(':')) {
                return null;
            }
            int minute = digits(1, 2);
            if (minute < 0) {
                return null;
            }
            if (pos == s.length()) {
                return sep == 't' ? null
                        : LocalDateTime.of(year, month, day, hour, minute).toInstant(ZoneOffset.UTC);
            }
            if (!accept(':')) {
                return null;
            }
            int second = digits(1, 2);
            if (second < 0) {
                return null;
            }
            int nanos = 0;
            if (accept('.')) {
                int start = pos;
                long value = 0;
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    if (pos - start < 9) {
                        value = value * 10 + (s.charAt(pos) - '0');
                    }
                    pos++;
                }
                int count = pos - start;
                if (count == 0) {
                    return null;
                }
                for (int i = count; i < 9; i++) {
                    value *= 10;
                }
                nanos = (int) value;
            }
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            int offsetSeconds = 0;
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos < s.length()) {
                Integer offset = offset();
                if (offset == null || pos != s.length()) {
                    return null;
                }
                offsetSeconds = offset;
            }
            return local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
        }

        /** Z, z, UTC, or [+-]HH[[:| ]MM]; null when none is there. */
        private Integer offset() {
            char c = s.charAt(pos);
            if (c == 'Z' || c == 'z') {
                pos++;
                return 0;
            }
            if (s.regionMatches(true, pos, "UTC", 0, 3)) {
                pos += 3;
                return 0;
            }
            int sign;
            if (c == '+') {
                sign = 1;
            } else if (c == '-' || c == '\u2212') {
                sign = -1;
            } else {
                return null;
            }
            pos++;
            int hours = digits(2, 2);
            if (hours < 0) {
                return null;
            }
            int minutes = 0;
            if (pos < s.length()) {
                if (s.charAt(pos) == ':' || s.charAt(pos) == ' ') {
                    pos++;
                }
                minutes = digits(2, 2);
                if (minutes < 0 || minutes > 59) {
                    return null;
                }
            }
            int total = hours * 3600 + minutes * 60;
            if (total >= 86_400) {
                return null;
            }
            return sign * total;
        }

        private boolean accept(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Between min and max ASCII digits as a number, or -1. */
        private int digits(int min, int max) {
            int start = pos;
            int value = 0;
            while (pos < s.length() && pos - start < max && isDigit(s.charAt(pos))) {
                value = value * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            return pos - start < min ? -1 : value;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
