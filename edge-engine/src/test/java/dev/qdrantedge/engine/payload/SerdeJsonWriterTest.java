package dev.qdrantedge.engine.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.gridstore.Gridstore;
import dev.qdrantedge.engine.segment.Segment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SerdeJsonWriterTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0|1.0", "0.1|0.1", "-0.0|-0.0", "0.0|0.0", "1e16|1e+16", "1e15|1000000000000000.0",
        "123456789012345680000|1.2345678901234568e+20", "0.001|0.001", "0.0001|0.0001", "0.00001|0.00001", "0.000001|1e-6",
        "1.5e-7|1.5e-7", "1e-300|1e-300", "4.9e-324|5e-324", "1.7976931348623157e308|1.7976931348623157e+308",
        "3.141592653589793|3.141592653589793", "-2.5e-10|-2.5e-10", "2e23|2e+23", "9007199254740993.0|9007199254740992.0",
        "5e-324|5e-324", "123.456|123.456", "1e21|1e+21", "1234567890123456.7|1234567890123456.8"})
    void doublesAreFormattedAsSerdeJsonDoes(String input, String expected) {
        assertThat(SerdeJsonWriter.formatDouble(Double.parseDouble(input))).isEqualTo(expected);
    }

    @Test
    void textIsCompactAndEscapedAsSerdeJson() {
        String json = "{\"b\":1,\"a\":[true,false,null,{}],\"s\":\"q\\\" b\\\\ / \\t\\n\\r\\b\\f \\u0000\\u001f\\u007f"
                + " é 😀\",\"u\":18446744073709551615,\"i\":-9223372036854775808,\"f\":1E+2,\"\":{}}";
        String written = SerdeJsonWriter.toString(PayloadJson.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(written).isEqualTo("{\"b\":1,\"a\":[true,false,null,{}],\"s\":\"q\\\" b\\\\ / \\t\\n\\r\\b\\f "
                + "\\u0000\\u001f\u007f é 😀\",\"u\":18446744073709551615,\"i\":-9223372036854775808,\"f\":100.0,"
                + "\"\":{}}");
    }

    /** Re-serializing every payload Qdrant stored gives back exactly the bytes Qdrant wrote. */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "storage-payloads", "storage-sparse"})
    void reproducesQdrantsBytesForEveryStoredPayload(String scenario) {
        ReferenceShard shard = ReferenceEngine.require().build(scenario);
        int checked = 0;
        for (Segment segment : LivePoints.openSegments(shard.shardDir())) {
            try (PayloadStorage storage = PayloadStorage.open(segment)) {
                Gridstore store = storage.gridstore();
                for (int offset = 0; offset < store.pointerCount(); offset++) {
                    byte[] stored = store.get(offset);
                    if (stored == null) {
                        continue;
                    }
                    byte[] rewritten = SerdeJsonWriter.toBytes(PayloadJson.decode(stored));
                    assertThat(new String(rewritten, StandardCharsets.UTF_8)).as("%s offset %d", scenario, offset)
                            .isEqualTo(new String(stored, StandardCharsets.UTF_8));
                    checked++;
                }
            }
        }
        assertThat(checked).isPositive();
    }
}
