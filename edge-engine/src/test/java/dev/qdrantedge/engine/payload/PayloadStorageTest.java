package dev.qdrantedge.engine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.gridstore.GridstoreWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payload storage on hand-made segments: storage types, empty slots and undecodable values. */
class PayloadStorageTest {

    @TempDir
    Path segment;

    @Test
    void readsPayloadsOfBothGridstoreTypes() {
        new GridstoreWriter(segment.resolve("payload_storage"))
                .put(0, "{\"b\":18446744073709551615,\"a\":-9223372036854775808,\"f\":0.1,\"s\":\"\\u00e4\"}")
                .write();
        for (String type : new String[] {"mmap", "in_ram_mmap"}) {
            try (PayloadStorage storage = PayloadStorage.open(segment, type)) {
                assertThat(storage.get(0).toString())
                        .isEqualTo("{\"b\":18446744073709551615,\"a\":-9223372036854775808,\"f\":0.1,\"s\":\"ä\"}");
                assertThat(storage.get(0).get("b").isBigInteger()).isTrue();
                assertThat(storage.get(1)).isEmpty();
            }
        }
    }

    @Test
    void refusesRocksDbStorageTypes() {
        for (String type : new String[] {"in_memory", "on_disk"}) {
            assertThatThrownBy(() -> PayloadStorage.open(segment, type)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("'" + type + "'").hasMessageContaining("RocksDB")
                    .hasMessageContaining("not supported")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(segment.resolve("segment.json"));
        }
        assertThatThrownBy(() -> PayloadStorage.open(segment, "future_kind")).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("unknown payload storage type 'future_kind'");
    }

    @Test
    void aMissingStorageDirectoryIsNamed() {
        assertThatThrownBy(() -> PayloadStorage.open(segment, "mmap")).isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(segment.resolve("payload_storage"));
    }

    @Test
    void aValueThatIsNotAJsonObjectNamesItsPage() {
        new GridstoreWriter(segment.resolve("payload_storage")).put(0, "[1,2]").put(1, "{\"a\":").write();
        try (PayloadStorage storage = PayloadStorage.open(segment, "mmap")) {
            assertThatThrownBy(() -> storage.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("not a JSON object").hasMessageContaining("point offset 0")
                    .extracting(e -> ((EdgeFormatException) e).file())
                    .isEqualTo(segment.resolve("payload_storage/page_0.dat"));
            assertThatThrownBy(() -> storage.get(1)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("not valid JSON");
        }
    }
}
