package dev.qdrantedge.engine.facet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FacetValueTest {

    @Test
    void valuesOrderAsQdrantOrdersThem() {
        List<FacetValue> values = new ArrayList<>(List.of(new FacetValue.Bool(true), new FacetValue.Int(-3),
                new FacetValue.Keyword("\uFF21"), new FacetValue.Uuid(new UUID(-1, 0)),
                new FacetValue.Keyword("\uD83D\uDE00"),
                new FacetValue.Uuid(new UUID(1, 0)), new FacetValue.Bool(false), new FacetValue.Int(2),
                new FacetValue.Keyword("B"), new FacetValue.Keyword("a")));
        values.sort(null);
        // keywords by code point (U+FF21 before U+1F600, though UTF-16 orders them the other way round)
        assertThat(values).containsExactly(new FacetValue.Keyword("B"), new FacetValue.Keyword("a"),
                new FacetValue.Keyword("\uFF21"), new FacetValue.Keyword("\uD83D\uDE00"), new FacetValue.Int(-3),
                new FacetValue.Int(2), new FacetValue.Uuid(new UUID(1, 0)), new FacetValue.Uuid(new UUID(-1, 0)),
                new FacetValue.Bool(false), new FacetValue.Bool(true));
    }
}
