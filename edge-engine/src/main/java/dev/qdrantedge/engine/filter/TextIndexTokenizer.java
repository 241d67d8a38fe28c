package dev.qdrantedge.engine.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into tokens as a full-text payload index with the given {@link TextIndexParams} does, for the
 * documents it indexes and for the queries it answers. Each token is, in this order: lower-cased (when the
 * index says so), dropped when it is a stop word, dropped when shorter than {@code min_token_len} or (except
 * the prefix tokenizer's prefixes) longer than {@code max_token_len}, lengths counted in Unicode code points.
 *
 * <ul>
 *   <li>{@code word}: maximal runs of letters and numbers;</li>
 *   <li>{@code whitespace}: maximal runs of characters other than Unicode white space;</li>
 *   <li>{@code prefix}: words as {@code word} splits them; a document contributes every prefix of each word
 *       from {@code min_token_len} (default 1) up to {@code max_token_len} code points (the whole word when
 *       shorter), a query each word cut to {@code max_token_len}, without the stop-word check (a query is
 *       a prefix being typed).</li>
 * </ul>
 *
 * Stemming, ASCII folding, the stop-word lists of languages and the {@code multilingual} tokenizer are not
 * implemented: such an index raises {@link UnsupportedFieldIndexException} when a condition needs it.
 */
public final class TextIndexTokenizer {

    private final TextIndexParams params;
    private final Set<String> stopwords;

    private TextIndexTokenizer(TextIndexParams params) {
        this.params = params;
        Set<String> words = new HashSet<>();
        for (String w : params.customStopwords()) {
            words.add(params.lowercase() ? w.toLowerCase(Locale.ROOT) : w);
        }
        this.stopwords = words;
    }

    /**
     * The tokenizer of an index with {@code params}.
     *
     * @throws UnsupportedFieldIndexException when the parameters need something this engine does not implement
     */
    public static TextIndexTokenizer of(TextIndexParams params) {
        String unsupported = null;
        if (params.tokenizer() == TextIndexParams.Tokenizer.MULTILINGUAL
                || params.tokenizer() == TextIndexParams.Tokenizer.OTHER) {
            unsupported = "the " + params.tokenizer().name().toLowerCase(Locale.ROOT) + " tokenizer";
        } else if (params.asciiFolding()) {
            unsupported = "ascii_folding";
        } else if (params.stemmerLanguage() != null) {
            unsupported = "the " + params.stemmerLanguage() + " stemmer";
        } else if (!params.stopwordLanguages().isEmpty()) {
            unsupported = "the stop words of " + String.join(", ", params.stopwordLanguages());
        }
        if (unsupported != null) {
            throw new UnsupportedFieldIndexException("full-text conditions on a field whose text index uses "
                    + unsupported + " are not supported by this engine");
        }
        return new TextIndexTokenizer(params);
    }

    /** The tokens of an indexed document, in order (repeats kept). */
    public List<String> documentTokens(String text) {
        List<String> out = new ArrayList<>();
        if (params.tokenizer() == TextIndexParams.Tokenizer.WHITESPACE) {
            for (String word : whitespaceWords(text)) {
                addProcessed(word, true, out);
            }
            return out;
        }
        for (String word : words(text)) {
            if (params.tokenizer() == TextIndexParams.Tokenizer.PREFIX) {
                addPrefixes(word, out);
            } else {
                addProcessed(word, true, out);
            }
        }
        return out;
    }

    /** The tokens of a {@code text} or {@code text_any} query. */
    public List<String> queryTokens(String text) {
        if (params.tokenizer() != TextIndexParams.Tokenizer.PREFIX) {
            return documentTokens(text);
        }
        List<String> out = new ArrayList<>();
        for (String word : words(text)) {
            String token = params.lowercase() ? word.toLowerCase(Locale.ROOT) : word;
            int length = token.codePointCount(0, token.length());
            if (params.minTokenLen() != null && length < params.minTokenLen()) {
                continue;
            }
            out.add(cut(token, params.maxTokenLen()));
        }
        return out;
    }

    private void addPrefixes(String word, List<String> out) {
        String token = process(word, false);
        if (token == null) {
            return;
        }
        int min = params.minTokenLen() == null ? 1 : params.minTokenLen();
        int max = params.maxTokenLen() == null ? Integer.MAX_VALUE : params.maxTokenLen();
        int length = token.codePointCount(0, token.length());
        for (int n = min; n <= max; n++) {
            if (n >= length) {
                out.add(token);
                return;
            }
            out.add(token.substring(0, token.offsetByCodePoints(0, n)));
        }
    }

    private void addProcessed(String word, boolean checkMax, List<String> out) {
        String token = process(word, checkMax);
        if (token != null) {
            out.add(token);
        }
    }

    /** Lower-case, stop words, length limits; null when the token is dropped. */
    private String process(String word, boolean checkMax) {
        if (word.isEmpty()) {
            return null;
        }
        String token = params.lowercase() ? word.toLowerCase(Locale.ROOT) : word;
        if (stopwords.contains(token)) {
            return null;
        }
        int length = token.codePointCount(0, token.length());
        if ((params.minTokenLen() != null && length < params.minTokenLen())
                || (checkMax && params.maxTokenLen() != null && length > params.maxTokenLen())) {
            return null;
        }
        return token;
    }

    private static String cut(String token, Integer maxLength) {
        if (maxLength == null || token.codePointCount(0, token.length()) <= maxLength) {
            return token;
        }
        return token.substring(0, token.offsetByCodePoints(0, maxLength));
    }

    /** Maximal runs of alphanumeric code points (letters or numbers). */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean word = TextTokens.isAlphanumeric(cp);
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                out.add(text.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Maximal runs of code points without the Unicode White_Space property. */
    private static List<String> whitespaceWords(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean space = Character.isSpaceChar(cp) || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85;
            if (!space && start < 0) {
                start = i;
            } else if (space && start >= 0) {
                out.add(text.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }
}
