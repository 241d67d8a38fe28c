package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.payload.PayloadComparison;
import dev.qdrantedge.engine.wal.WalReader;
import dev.qdrantedge.engine.wal.WalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The write path against the reference engine: every operation a reference scenario performed (read back
 * from the reference engine's own WAL, which keeps them all) is applied here through
 * {@link EdgeShard#update} to a new shard with the same configuration; the points end equal to the
 * reference engine's, in Java and in the reference engine loading the shard Java wrote.
 */
class ShardWriteCompatTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "optimized", "storage-payloads", "storage-sparse",
        "vectors-optimized", "wal-only", "wal-default-vector", "wal-named-vectors", "wal-acknowledged",
        "preprocess-vectors", "filter-rich", "filter-edge", "segwriter-ops"})
    void theSameOperationsEndWithTheSamePoints(String scenario) {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard reference = engine.build(scenario);
        EdgeConfig config = EdgeConfigFile.read(reference.shardDir()).orElseThrow();
        List<UpdateOperation> operations = new ArrayList<>();
        try (WalReader wal = WalReader.open(reference.shardDir().resolve(EdgeShard.WAL_DIR))) {
            assertThat(wal.firstStoredIndex()).as("the reference WAL keeps every operation").isZero();
            for (WalRecord record : wal.records(0)) {
                UpdateOperation op = record.operation();
                if (!(op instanceof CreateFieldIndex || op instanceof DeleteFieldIndex)) {
                    operations.add(op); // field indexes change no point
                }
            }
        }

        Path dir = temp.resolve(scenario);
        try (EdgeShard shard = EdgeShard.create(dir, config)) {
            for (UpdateOperation op : operations) {
                shard.update(op);
            }
            assertSamePoints(shard, reference.answers(), scenario + " (before flush)");
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertSamePoints(shard, reference.answers(), scenario + " (reloaded)");
        }
        ReferenceAnswers loadedByReference = engine.inspect(dir, temp.resolve(scenario + "-answers"));
        assertThat(loadedByReference.points()).as(scenario + " as the reference engine loads it")
                .isEqualTo(reference.answers().points());
    }

    static void assertSamePoints(EdgeShard shard, ReferenceAnswers answers, String at) {
        assertThat(shard.count()).as(at + " count").isEqualTo(answers.count());
        List<Record> records = ShardReadCompatTest.scrollAll(shard);
        assertThat(records).extracting(Record::id).as(at + " ids").containsExactlyElementsOf(answers.pointIds());
        JsonNode expected = answers.points();
        PayloadComparison payloads = new PayloadComparison();
        for (int i = 0; i < records.size(); i++) {
            Record actual = records.get(i);
            JsonNode point = expected.get(i);
            String where = at + " point " + actual.id();
            ShardReadCompatTest.assertVectors(actual.vectors(), point.get("vector"), where);
            payloads.assertSame(actual.payload(), point.get("payload"), where + " payload");
        }
    }
}
