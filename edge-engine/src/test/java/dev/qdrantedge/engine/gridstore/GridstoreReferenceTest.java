package dev.qdrantedge.engine.gridstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gridstores as the reference engine writes them: config keys, the tracker journal, both compressions. */
class GridstoreReferenceTest {

    @Test
    void readsThePayloadAndSparseStoresOfAnAppendableSegment() throws IOException {
        ReferenceShard shard = ReferenceEngine.require().build("named-all-kinds");
        List<Path> segments = SegmentDirectories.scan(shard.shardDir().resolve("segments"));
        assertThat(segments).hasSize(1);
        Path payloads = segments.get(0).resolve("payload_storage");
        Path sparse = segments.get(0).resolve("vector_storage-text/store");

        assertThat(Files.readString(payloads.resolve("config.json"))).contains("\"mode\"");
        assertThat(payloads.resolve("tracker_journal.dat")).as("recent engines journal tracker writes").exists();

        try (Gridstore store = Gridstore.open(payloads)) {
            assertThat(store.config()).isEqualTo(new GridstoreConfig(32 * 1024 * 1024, 128, 8192,
                    GridstoreCompression.LZ4));
            assertThat(store.pageCount()).isEqualTo(1);
            assertThat(store.pointerCount()).isEqualTo(60);
            String first = new String(store.get(0), StandardCharsets.UTF_8);
            assertThat(first).startsWith("{\"n\":").endsWith("}");
        }
        try (Gridstore store = Gridstore.open(sparse)) {
            assertThat(store.config().compression()).isEqualTo(GridstoreCompression.NONE);
            // The reference engine numbers the points of a batch in no fixed order, and one point of the
            // scenario lost its sparse vector: slot 0 may be empty, so take the first stored value.
            byte[] first = null;
            for (int offset = 0; first == null && offset < store.pointerCount(); offset++) {
                first = store.get(offset);
            }
            assertThat(first).hasSizeGreaterThan(16);
        }
    }
}
