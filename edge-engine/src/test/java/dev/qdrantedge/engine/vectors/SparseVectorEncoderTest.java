package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.gridstore.Gridstore;
import dev.qdrantedge.engine.segment.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparseVectorEncoderTest {

    @Test
    void encodesSortedPairsAndRoundTrips() {
        SparseVector unsorted = new SparseVector(new int[] {50, 3, 700, -1, 0}, new float[] {0.5f, 0.25f, 1, -2, 3});
        SparseVector decoded = SparseVectorCodec.decode(SparseVectorEncoder.encode(unsorted));
        assertThat(decoded).isEqualTo(new SparseVector(new int[] {0, 3, 50, 700, -1},
                new float[] {3, 0.25f, 0.5f, 1, -2}));
        assertThat(SparseVectorEncoder.encode(new SparseVector(new int[0], new float[0])))
                .hasSize(16).containsOnly(0);
        // one delta of 5 in 8 bits behind the 6-bit header: 14 bits -> 2 bytes
        assertThat(SparseVectorEncoder.pack(new long[] {5})).containsExactly(5 << 6, 5 >> 2);
    }

    /** Encoding what Qdrant stored reproduces its bytes exactly. */
    @ParameterizedTest
    @CsvSource({"named-all-kinds, text", "storage-sparse, text", "storage-sparse, weighted"})
    void reproducesQdrantsBytes(String scenario, String name) {
        ReferenceShard shard = ReferenceEngine.require().build(scenario);
        int checked = 0;
        for (Segment segment : LivePoints.openSegments(shard.shardDir())) {
            try (Gridstore store = Gridstore.open(segment.directory()
                    .resolve(SparseVectorStorage.directoryName(name)).resolve(SparseVectorStorage.STORE_DIRECTORY))) {
                for (int offset = 0; offset < store.pointerCount(); offset++) {
                    byte[] stored = store.get(offset);
                    if (stored == null) {
                        continue;
                    }
                    assertThat(SparseVectorEncoder.encode(SparseVectorCodec.decode(stored)))
                            .as("%s offset %d", scenario, offset).isEqualTo(stored);
                    checked++;
                }
            }
        }
        assertThat(checked).isPositive();
    }
}
