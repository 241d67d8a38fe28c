package dev.qdrantedge.engine.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Full-text matching of a payload string without a full-text index, as the reference engine does it: both
 * the stored text and the query are split into words (maximal runs of letters and numbers) and lower-cased;
 * {@code text} needs every query word among the stored words, {@code text_any} at least one, {@code phrase}
 * the query words consecutively in order. A query without words matches nothing.
 */
final class TextTokens {

    private TextTokens() {
    }

    static boolean containsAll(String stored, String query) {
        List<String> q = tokens(query);
        if (q.isEmpty()) {
            return false;
        }
        Set<String> doc = new HashSet<>(tokens(stored));
        return doc.containsAll(q);
    }

    static boolean containsAny(String stored, String query) {
        List<String> q = tokens(query);
        if (q.isEmpty()) {
            return false;
        }
        Set<String> doc = new HashSet<>(tokens(stored));
        for (String t : q) {
            if (doc.contains(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsPhrase(String stored, String query) {
        List<String> q = tokens(query);
        if (q.isEmpty()) {
            return false;
        }
        List<String> doc = tokens(stored);
        outer:
        for (int i = 0; i + q.size() <= doc.size(); i++) {
            for (int j = 0; j < q.size(); j++) {
                if (!doc.get(i + j).equals(q.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Maximal runs of alphanumeric code points (letters or numbers), lower-cased. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean word = isAlphanumeric(cp);
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Letters and numbers in the Unicode sense (alphabetic, or of a number category). */
    static boolean isAlphanumeric(int cp) {
        return Character.isAlphabetic(cp) || isNumeric(cp);
    }

    private static boolean isNumeric(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }
}
