package dev.qdrantedge.demo.notes;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A semantic search as the API receives it, checked: what to look for, and optionally a tag and a range of
 * creation times the notes must match.
 *
 * <p>Dates are {@code YYYY-MM-DD} days in UTC ({@code from} includes its whole day from midnight, {@code to}
 * includes its whole day until the next midnight) or ISO-8601 instants such as {@code 2025-03-01T12:00:00Z}
 * (exact bounds). Both bounds are inclusive; notes keep their creation time to the millisecond, so the last
 * millisecond of a {@code to} day is its end.
 *
 * @param query the text whose meaning the notes are compared with
 * @param tag a tag the notes must carry (normalized as stored), or {@code null} for any
 * @param from earliest creation time (inclusive), or {@code null} for no lower bound
 * @param to latest creation time (inclusive), or {@code null} for no upper bound
 * @param limit most results to return
 */
public record NoteSearch(String query, String tag, Instant from, Instant to, int limit) {

    /** Results returned when the request gives no limit. */
    public static final int DEFAULT_LIMIT = 10;
    /** Largest limit accepted. */
    public static final int MAX_LIMIT = 100;

    /**
     * Checks the raw request parameters.
     *
     * @throws InvalidRequestException naming the parameter that is missing or malformed
     */
    public static NoteSearch parse(String query, String tag, String from, String to, Integer limit) {
        if (query == null || query.isBlank()) {
            throw new InvalidRequestException("q", "must not be blank: give the text to search for");
        }
        if (query.strip().length() > NewNote.MAX_TEXT) {
            throw new InvalidRequestException("q", "is longer than " + NewNote.MAX_TEXT + " characters");
        }
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + max);
        }
        Instant lower = bound("from", from, false);
        Instant upper = bound("to", to, true);
        if (lower != null && upper != null && lower.isAfter(upper)) {
            throw new InvalidRequestException("from", "'" + from.strip() + "' is after to '" + to.strip() + "'");
        }
        return new NoteSearch(query.strip(), NewNote.normalizeTag(tag), lower, upper, max);
    }

    /** The first instant of a {@code from} day or the last millisecond of a {@code to} day; an instant as is. */
    private static Instant bound(String name, String value, boolean upper) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                Instant start = (upper ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
                return upper ? start.minusMillis(1) : start;
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name, "'" + text + "' is not a date: expected YYYY-MM-DD (a day in "
                    + "UTC) or an ISO-8601 instant such as 2025-03-01T12:00:00Z");
        } catch (DateTimeException e) {
            throw new InvalidRequestException(name, "'" + text + "' is out of range");
        }
    }
}
