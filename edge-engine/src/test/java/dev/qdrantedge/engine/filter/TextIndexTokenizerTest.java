package dev.qdrantedge.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.payload.PayloadIndexConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tokenization of full-text indexes, the index configuration it comes from, and what is refused. */
class TextIndexTokenizerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TextIndexParams params(TextIndexParams.Tokenizer tokenizer, Integer min, Integer max,
            boolean lowercase, List<String> stopwords) {
        return new TextIndexParams(tokenizer, min, max, lowercase, false, false, Set.of(), stopwords, null);
    }

    @Test
    void wordTokenizerSplitsOnNonAlphanumericsAndAppliesCaseStopWordsAndLengths() {
        TextIndexTokenizer t = TextIndexTokenizer.of(params(TextIndexParams.Tokenizer.WORD, 2, 5, true,
                List.of("The")));
        assertThat(t.documentTokens("The quick-brown FOX, a größere Straße x1"))
                .containsExactly("quick", "brown", "fox", "x1");
        assertThat(TextIndexTokenizer.of(TextIndexParams.defaults()).documentTokens("Привет, мир! 42"))
                .containsExactly("привет", "мир", "42");
    }

    @Test
    void whitespaceTokenizerKeepsPunctuationAndCase() {
        TextIndexTokenizer t = TextIndexTokenizer.of(params(TextIndexParams.Tokenizer.WHITESPACE, null, null, false,
                List.of("delta")));
        assertThat(t.documentTokens("Alpha  bravo-charlie\u00a0delta\tEcho")).containsExactly("Alpha",
                "bravo-charlie", "Echo");
    }

    @Test
    void prefixTokenizerIndexesPrefixesAndQueriesTheCutWord() {
        TextIndexTokenizer t = TextIndexTokenizer.of(params(TextIndexParams.Tokenizer.PREFIX, 2, 4, true, List.of()));
        assertThat(t.documentTokens("Hello mir a")).containsExactly("he", "hel", "hell", "mi", "mir");
        assertThat(t.queryTokens("HELLO x mi")).containsExactly("hell", "mi");
    }

    @Test
    void stemmingLanguageStopWordsFoldingAndMultilingualAreRefused() {
        TextIndexParams defaults = TextIndexParams.defaults();
        assertThatThrownBy(() -> TextIndexTokenizer.of(new TextIndexParams(TextIndexParams.Tokenizer.WORD, null, null,
                true, false, false, Set.of(), List.of(), "english")))
                .isInstanceOf(UnsupportedFieldIndexException.class).hasMessageContaining("english stemmer");
        assertThatThrownBy(() -> TextIndexTokenizer.of(new TextIndexParams(TextIndexParams.Tokenizer.WORD, null, null,
                true, false, false, Set.of("english"), List.of(), null)))
                .isInstanceOf(UnsupportedFieldIndexException.class).hasMessageContaining("stop words of english");
        assertThatThrownBy(() -> TextIndexTokenizer.of(new TextIndexParams(TextIndexParams.Tokenizer.MULTILINGUAL, null,
                null, true, false, false, Set.of(), List.of(), null)))
                .isInstanceOf(UnsupportedFieldIndexException.class).hasMessageContaining("multilingual");
        assertThatThrownBy(() -> TextIndexTokenizer.of(new TextIndexParams(defaults.tokenizer(), null, null, true, true,
                false, Set.of(), List.of(), null)))
                .isInstanceOf(UnsupportedFieldIndexException.class).hasMessageContaining("ascii_folding");
    }

    @Test
    void aTextConditionOnAnIndexWithStemmingIsRefusedNotAnsweredDifferently() throws Exception {
        FieldIndexes indexes = PayloadIndexConfig.parse(JSON.readTree("{\"indexed_fields\": {\"t\": {\"type\": \"text\","
                + " \"stopwords\": \"english\", \"stemmer\": {\"type\": \"snowball\", \"language\": \"english\"}}}}"));
        Filter text = FilterParser.parse(JSON.readTree("{\"must\": [{\"key\": \"t\", \"match\": {\"text\": \"run\"}}]}"));
        Filter other = FilterParser.parse(JSON.readTree("{\"must\": [{\"key\": \"t\", \"is_empty\": false}]}"));
        PointView point = point(JSON.readTree("{\"t\": \"running\"}"));
        assertThatThrownBy(() -> FilterEvaluator.matches(text, point, indexes))
                .isInstanceOf(UnsupportedFieldIndexException.class);
        assertThat(FilterEvaluator.matches(other, point, indexes)).isTrue();
    }

    @Test
    void configListsIndexesInQdrantsOrderWithTheirParameters() throws Exception {
        FieldIndexes indexes = PayloadIndexConfig.parse(JSON.readTree("{\"indexed_fields\": {"
                + "\"a\": \"keyword\", \"b\": {\"type\": \"integer\", \"lookup\": false},"
                + " \"items[].name\": {\"type\": \"text\", \"tokenizer\": \"prefix\", \"min_token_len\": 2,"
                + " \"lowercase\": false, \"phrase_matching\": true, \"stopwords\": {\"custom\": [\"x\"]}},"
                + " \"c\": \"geo\"},"
                + " \"indexed_types\": {\"c\": [{\"index_type\": \"geo_index\"}]}}"));
        assertThat(indexes.get(JsonPath.parse("a"))).containsExactly(new FieldIndex.Keyword(), new FieldIndex.Null());
        assertThat(indexes.get(JsonPath.parse("b"))).containsExactly(new FieldIndex.IntegerRange(),
                new FieldIndex.Null());
        assertThat(indexes.get(JsonPath.parse("c"))).containsExactly(new FieldIndex.GeoPoints());
        assertThat(indexes.under(JsonPath.parse("items[]")).get(JsonPath.parse("name"))).containsExactly(
                new FieldIndex.FullText(new TextIndexParams(TextIndexParams.Tokenizer.PREFIX, 2, null, false, false,
                        true, Set.of(), List.of("x"), null)), new FieldIndex.Null());
        assertThat(indexes.get(JsonPath.parse("d"))).isEmpty();
    }

    private static PointView point(JsonNode payload) {
        return new PointView() {
            @Override
            public dev.qdrantedge.engine.idtracker.PointId id() {
                return dev.qdrantedge.engine.idtracker.PointId.of(1);
            }

            @Override
            public JsonNode payload() {
                return payload;
            }

            @Override
            public boolean hasVector(String name) {
                return false;
            }
        };
    }
}
