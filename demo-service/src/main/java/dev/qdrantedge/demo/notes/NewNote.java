package dev.qdrantedge.demo.notes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /api/notes}: what a user writes. {@link #validated()} checks it and returns it cleaned
 * up: text and title trimmed, a blank title replaced by the text's first line, tags trimmed, lower-cased and
 * without duplicates or blanks.
 *
 * @param title optional headline
 * @param text the note itself; required, it is what search compares
 * @param tags optional labels to filter searches by
 */
public record NewNote(String title, String text, List<String> tags) {

    /** Longest text accepted. */
    public static final int MAX_TEXT = 10_000;
    /** Longest title accepted. */
    public static final int MAX_TITLE = 200;
    /** Most tags per note. */
    public static final int MAX_TAGS = 20;
    /** Longest tag accepted. */
    public static final int MAX_TAG = 50;
    /** Length at which a title taken from the text is cut. */
    static final int DERIVED_TITLE = 60;

    /**
     * The note cleaned up.
     *
     * @throws InvalidRequestException naming the field that is missing, too long or malformed
     */
    public NewNote validated() {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("text", "must not be blank");
        }
        String cleanText = text.strip();
        if (cleanText.length() > MAX_TEXT) {
            throw new InvalidRequestException("text", "is " + cleanText.length() + " characters long; at most "
                    + MAX_TEXT + " are accepted");
        }
        String cleanTitle = title == null ? "" : title.strip();
        if (cleanTitle.length() > MAX_TITLE) {
            throw new InvalidRequestException("title", "is " + cleanTitle.length() + " characters long; at most "
                    + MAX_TITLE + " are accepted");
        }
        if (cleanTitle.isEmpty()) {
            cleanTitle = titleFrom(cleanText);
        }
        return new NewNote(cleanTitle, cleanText, cleanTags(tags));
    }

    private static String titleFrom(String text) {
        String firstLine = text.lines().findFirst().orElse(text).strip();
        if (firstLine.length() <= DERIVED_TITLE) {
            return firstLine;
        }
        return firstLine.substring(0, DERIVED_TITLE).strip() + "…";
    }

    private static List<String> cleanTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        Set<String> clean = new LinkedHashSet<>();
        for (String tag : tags) {
            String t = normalizeTag(tag);
            if (t == null) {
                continue;
            }
            if (t.length() > MAX_TAG) {
                throw new InvalidRequestException("tags", "'" + t + "' is longer than " + MAX_TAG + " characters");
            }
            if (t.indexOf(',') >= 0) {
                throw new InvalidRequestException("tags", "'" + t + "' contains a comma; give each tag as its own "
                        + "array element");
            }
            clean.add(t);
        }
        if (clean.size() > MAX_TAGS) {
            throw new InvalidRequestException("tags", clean.size() + " tags given; at most " + MAX_TAGS
                    + " are accepted");
        }
        return new ArrayList<>(clean);
    }

    /** A tag as stored and matched: trimmed and lower-cased; {@code null} for a blank one. */
    static String normalizeTag(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        return tag.strip().toLowerCase(Locale.ROOT);
    }
}
