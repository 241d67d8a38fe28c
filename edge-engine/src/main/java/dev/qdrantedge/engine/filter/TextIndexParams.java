package dev.qdrantedge.engine.filter;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The parameters of a full-text payload index that decide how text is split into tokens, with Qdrant's
 * defaults for absent ones.
 *
 * @param tokenizer how text is split ({@code word} by default)
 * @param minTokenLen tokens of fewer characters are dropped; {@code null}: no minimum
 * @param maxTokenLen tokens of more characters are dropped (the prefix tokenizer stops its prefixes there);
 *     {@code null}: no maximum
 * @param lowercase whether tokens are lower-cased (default true)
 * @param asciiFolding whether accents are folded to ASCII (default false)
 * @param phraseMatching whether the index keeps token positions, which {@code phrase} needs (default false)
 * @param stopwordLanguages languages whose stop words are dropped (lower-case names such as
 *     {@code english})
 * @param customStopwords further stop words
 * @param stemmerLanguage the Snowball stemmer's language, or {@code null} for no stemming
 */
public record TextIndexParams(Tokenizer tokenizer, Integer minTokenLen, Integer maxTokenLen, boolean lowercase,
        boolean asciiFolding, boolean phraseMatching, Set<String> stopwordLanguages, List<String> customStopwords,
        String stemmerLanguage) {

    /** Qdrant's tokenizers. */
    public enum Tokenizer {
        /** Runs of letters and digits. */
        WORD,
        /** Runs of non-white-space characters. */
        WHITESPACE,
        /** Runs of letters and digits, indexed with every prefix. */
        PREFIX,
        /** Language-aware segmentation (dictionaries for Chinese, Japanese, Thai and more). */
        MULTILINGUAL,
        /** A tokenizer this engine does not know. */
        OTHER
    }

    public TextIndexParams {
        Objects.requireNonNull(tokenizer, "tokenizer");
        stopwordLanguages = Set.copyOf(stopwordLanguages);
        customStopwords = List.copyOf(customStopwords);
    }

    /** Qdrant's defaults: word tokenizer, lower-cased, no stop words, no stemming, no phrase matching. */
    public static TextIndexParams defaults() {
        return new TextIndexParams(Tokenizer.WORD, null, null, true, false, false, Set.of(), List.of(), null);
    }
}
