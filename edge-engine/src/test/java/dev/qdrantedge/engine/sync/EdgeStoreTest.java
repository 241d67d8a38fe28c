package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestSupport.canonical;
import static dev.qdrantedge.engine.sync.SyncTestSupport.contents;
import static dev.qdrantedge.engine.sync.SyncTestSupport.encoded;
import static dev.qdrantedge.engine.sync.SyncTestSupport.id;
import static dev.qdrantedge.engine.sync.SyncTestSupport.ids;
import static dev.qdrantedge.engine.sync.SyncTestSupport.json;
import static dev.qdrantedge.engine.sync.SyncTestSupport.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.facet.Facets;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EdgeStore}: writes, copy-on-write, deletion marks, refreshes, dead entries and recovery. */
class EdgeStoreTest {

    @TempDir
    Path temp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EdgeStore store() {
        EdgeStore store = EdgeStore.open(temp.resolve("store"), SyncTestSupport.config());
        open.add(store);
        return store;
    }

    /** A server holding points 1..5 (tag "srv"), and a store bootstrapped from it. */
    private TestServer serverWithFivePoints() {
        TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
        open.add(server);
        server.apply(SyncTestSupport.upsert("srv", 1, 2, 3, 4, 5));
        return server;
    }

    private static Optional<Record> get(EdgeStore store, long id) {
        List<Record> found = store.retrieve(List.of(id(id)), true, true);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static String payloadOf(EdgeStore store, long id) {
        return SyncTestSupport.canonicalJson(get(store, id).orElseThrow().payload());
    }

    private static List<PointId> searchIds(EdgeStore store, float[] query, int limit) {
        return store.search(SearchRequest.of("", new DenseVector(query), limit)).stream().map(ScoredPoint::id)
                .toList();
    }

    private static List<String> outboxOperations(EdgeStore store) {
        List<String> out = new ArrayList<>();
        for (OutboxEntry e : store.outbox().unreflected()) {
            out.add(encoded(store.outbox().operation(e.seq())));
        }
        return out;
    }

    @Test
    void writesAreReadBackAndOutboxedInOrderAndSurviveReopening() {
        Path dir = temp.resolve("store");
        List<UpdateOperation> ops = List.of(SyncTestSupport.upsert("a", 1, 2, 3), SyncTestSupport.delete(2),
                SyncTestSupport.setPayload("{\"x\":1}", 1));
        Map<PointId, String> expected;
        try (EdgeStore store = EdgeStore.open(dir, SyncTestSupport.config())) {
            List<Long> seqs = new ArrayList<>();
            for (UpdateOperation op : ops) {
                seqs.add(store.update(op));
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L);
            assertThat(store.count(null)).isEqualTo(2);
            assertThat(payloadOf(store, 1)).isEqualTo("{\"n\":1,\"tag\":\"a\",\"x\":1}");
            assertThat(get(store, 2)).isEmpty();
            assertThat(outboxOperations(store)).isEqualTo(SyncTestSupport.encoded(ops));
            assertThat(store.outbox().get(2).orElseThrow().pointIds()).isEqualTo(ids(2));
            expected = contents(store);
        }
        try (EdgeStore store = EdgeStore.open(dir, null, EdgeStoreOptions.defaults())) {
            assertThat(contents(store)).isEqualTo(expected);
            assertThat(store.outbox().backlog()).isEqualTo(3);
            assertThat(store.update(SyncTestSupport.delete(3))).isEqualTo(4);
        }
    }

    @Test
    void aRefusedOperationWritesNothingAnywhere() throws IOException {
        EdgeStore store = store();
        store.update(SyncTestSupport.upsert("a", 1));
        long localOps = store.status().outbox().nextSeq();
        assertThatThrownBy(() -> store.update(SyncTestSupport.upsert(SyncTestSupport.point(2,
                new float[] {1, 2, 3}, "{}")))).isInstanceOf(InvalidOperationException.class)
                .hasMessageContaining("expected dimension 4, got 3");
        assertThatThrownBy(() -> store.update(SyncTestSupport.setPayload("{\"x\":1}", 1, 9)))
                .isInstanceOf(MissingPointException.class).hasMessageContaining("no point with id 9 for set_payload");
        assertThatThrownBy(() -> store.update(new ClearPayload(ids(8))))
                .isInstanceOf(MissingPointException.class);
        assertThatThrownBy(() -> store.update(new CreateFieldIndex("tag", Optional.empty())))
                .isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> store.update(new DeletePointsByFilter(json("{\"must\":{\"key\":1}}"))))
                .isInstanceOf(dev.qdrantedge.engine.filter.FilterParseException.class);
        assertThat(store.status().outbox().nextSeq()).isEqualTo(localOps);
        assertThat(store.outbox().backlog()).isEqualTo(1);
        assertThat(payloadOf(store, 1)).isEqualTo("{\"n\":1,\"tag\":\"a\"}");
        assertThat(store.count(null)).isEqualTo(1);
    }

    @Test
    void aStoreBootstrapsItsMirrorThenTakesPartialSnapshotsOrNone() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        assertThat(store.hasMirror()).isFalse();
        RefreshResult first = store.refresh(server.source());
        assertThat(first.kind()).isEqualTo(RefreshResult.Kind.FULL);
        assertThat(first.bytes()).isPositive();
        assertThat(contents(store)).isEqualTo(contents(server.shard()));
        assertThat(store.status().mirrorPoints()).isEqualTo(5);
        assertThat(store.status().localPoints()).isZero();

        RefreshResult second = store.refresh(server.source());
        assertThat(second.kind()).isEqualTo(RefreshResult.Kind.NOT_MODIFIED);
        assertThat(second.bytes()).isZero();

        server.apply(SyncTestSupport.upsert("other-client", 6)); // a write another client made on the server
        server.apply(SyncTestSupport.delete(1));
        RefreshResult third = store.refresh(server.source());
        assertThat(third.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
        assertThat(contents(store)).isEqualTo(contents(server.shard()));
        assertThat(store.lastRefresh()).contains(third);
        assertThat(temp.resolve("store").resolve(EdgeStore.DOWNLOAD_DIR)).doesNotExist();

        store.close();
        open.remove(store);
        try (EdgeStore reopened = EdgeStore.open(temp.resolve("store"), null, EdgeStoreOptions.defaults())) {
            assertThat(reopened.hasMirror()).isTrue();
            assertThat(contents(reopened)).isEqualTo(contents(server.shard()));
        }
    }

    @Test
    void aFailedDownloadLeavesTheStoreAsItWasAndIsReported() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.setPayload("{\"x\":1}", 2));
        server.setDown(true);
        assertThatThrownBy(() -> store.refresh(server.source())).isInstanceOf(IOException.class);
        StoreStatus status = store.status();
        assertThat(status.lastRefreshError()).contains("server unreachable");
        assertThat(status.lastRefreshFailedAt()).isPresent();
        assertThat(status.lastRefresh().orElseThrow().kind()).isEqualTo(RefreshResult.Kind.FULL);
        assertThat(payloadOf(store, 2)).contains("\"x\":1");
        server.setDown(false);
        store.refresh(server.source());
        assertThat(store.status().lastRefreshError()).isEmpty();
    }

    @Test
    void changingPartOfAMirrorPointCopiesItWholeIntoTheLocalShardFirst() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        Record mirror3 = get(store, 3).orElseThrow();

        store.update(SyncTestSupport.setPayload("{\"x\":1}", 3));
        Record local3 = get(store, 3).orElseThrow();
        assertThat(SyncTestSupport.canonicalJson(local3.payload())).isEqualTo("{\"n\":3,\"tag\":\"srv\",\"x\":1}");
        assertThat(canonical(new Record(id(3), 0, local3.vectors(), null)))
                .isEqualTo(canonical(new Record(id(3), 0, mirror3.vectors(), null)));
        assertThat(store.status().localPoints()).isEqualTo(1);

        store.update(new DeleteVectors(ids(1), List.of("w")));
        assertThat(get(store, 1).orElseThrow().vectors()).containsOnlyKeys("");
        store.update(new OverwritePayload(payload("{\"only\":true}"), Optional.of(ids(2)), Optional.empty(),
                Optional.empty()));
        assertThat(payloadOf(store, 2)).isEqualTo("{\"only\":true}");
        assertThat(get(store, 2).orElseThrow().vectors()).containsOnlyKeys("", "w");
        store.update(new ClearPayload(ids(4)));
        assertThat(payloadOf(store, 4)).isEqualTo("{}");
        store.update(new UpdateVectors(List.of(new PointVectors(id(5), Map.of("w", new DenseVector(
                new float[] {9, 9})))), Optional.empty()));
        Record five = get(store, 5).orElseThrow();
        assertThat(((DenseVector) five.vectors().get("w")).values()).containsExactly(9, 9);
        assertThat(((DenseVector) five.vectors().get("")).values()).containsExactly(5, 1, 0, 0);
        assertThat(payloadOf(store, 5)).isEqualTo("{\"n\":5,\"tag\":\"srv\"}");

        // one copy of each point in every read
        assertThat(store.count(null)).isEqualTo(5);
        assertThat(contents(store)).hasSize(5);
        assertThat(searchIds(store, new float[] {1, 0, 0, 0}, 10)).containsExactly(id(5), id(4), id(3), id(2),
                id(1));
        // the outbox keeps the operations as written; the local copies are not sent
        assertThat(store.outbox().unreflected()).hasSize(5);

        OutboxModel.deliverAndCompare(store, server);
    }

    @Test
    void deletesHideTheMirrorCopyInEveryRead() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.delete(2));
        store.update(new DeletePointsByFilter(json("{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":4}}]}")));
        assertThat(store.outbox().get(2).orElseThrow().pointIds()).isEqualTo(ids(4, 5));
        assertThat(encoded(store.outbox().operation(2)))
                .isEqualTo(encoded(new DeletePointsByFilter(json("{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":4}}]}"))));
        assertThat(store.retrieve(ids(1, 2, 3, 4, 5), false, false)).extracting(Record::id)
                .containsExactly(id(1), id(3));
        assertThat(store.count(null)).isEqualTo(2);
        assertThat(store.count(FilterParser.parse(json("{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"srv\"}}]}"))))
                .isEqualTo(2);
        assertThat(contents(store).keySet()).containsExactly(id(1), id(3));
        assertThat(searchIds(store, new float[] {1, 0, 0, 0}, 10)).containsExactly(id(3), id(1));
        assertThat(store.status().localPoints()).isZero();
        assertThat(store.status().shadowedPoints()).isEqualTo(3);

        store.update(SyncTestSupport.upsert("again", 4)); // a deleted point written again is back
        assertThat(payloadOf(store, 4)).isEqualTo("{\"n\":4,\"tag\":\"again\"}");
        OutboxModel.deliverAndCompare(store, server);
    }

    @Test
    void filterOperationsAreResolvedAgainstTheMergedView() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.upsert("local", 7));
        store.update(SyncTestSupport.delete(4));
        String filter = "{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":3}}]}";
        store.update(SyncTestSupport.setPayloadByFilter("{\"seen\":true}", filter));
        assertThat(store.outbox().get(3).orElseThrow().pointIds()).containsExactlyInAnyOrder(id(3), id(5), id(7));
        assertThat(encoded(store.outbox().operation(3)))
                .isEqualTo(encoded(SyncTestSupport.setPayloadByFilter("{\"seen\":true}", filter)));
        for (long id : new long[] {3, 5, 7}) {
            assertThat(payloadOf(store, id)).contains("\"seen\":true");
        }
        assertThat(payloadOf(store, 2)).doesNotContain("seen");
        OutboxModel.deliverAndCompare(store, server);
    }

    @Test
    void conditionalUpsertsFollowQdrantOverTheMergedView() throws IOException {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.delete(4));
        // insert-only: 3 exists (in the mirror), 4 was deleted, 8 is new
        store.update(new ConditionalUpsertPoints(SyncTestSupport.upsert("ins", 3, 4, 8).points(), json("{}"),
                UpdateMode.INSERT_ONLY));
        assertThat(payloadOf(store, 3)).contains("srv");
        assertThat(payloadOf(store, 4)).contains("ins");
        assertThat(payloadOf(store, 8)).contains("ins");
        // update-only with a condition: only the existing point matching it
        store.update(new ConditionalUpsertPoints(SyncTestSupport.upsert("upd", 1, 2, 9).points(),
                json("{\"must\":[{\"key\":\"n\",\"match\":{\"value\":2}}]}"), UpdateMode.UPDATE_ONLY));
        assertThat(payloadOf(store, 1)).contains("srv");
        assertThat(payloadOf(store, 2)).contains("upd");
        assertThat(get(store, 9)).isEmpty();
        assertThat(store.status().localPoints()).as("3 and 1 were not copied: they did not change").isEqualTo(3);
        OutboxModel.deliverAndCompare(store, server);
    }

    @Test
    void aRefreshDropsLocalCopiesOnlyOnceTheMirrorReflectsThem() throws Exception {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.setPayload("{\"w1\":1}", 3));
        EdgeStoreModelTest.deliverAll(store, server);
        store.update(SyncTestSupport.setPayload("{\"w2\":1}", 4)); // not delivered yet
        assertThat(store.status().localPoints()).isEqualTo(2);

        RefreshResult refreshed = store.refresh(server.source());
        assertThat(refreshed.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
        assertThat(refreshed.entriesReflected()).isEqualTo(1);
        assertThat(refreshed.pointsDropped()).isEqualTo(1);
        assertThat(store.status().localPoints()).isEqualTo(1);
        assertThat(store.outbox().get(1).orElseThrow().reflected()).isTrue();
        assertThat(payloadOf(store, 3)).contains("\"w1\":1"); // from the mirror now
        assertThat(payloadOf(store, 4)).contains("\"w2\":1"); // still the local copy
        assertThat(searchIds(store, new float[] {0, 1, 0, 0}, 10)).hasSize(5).doesNotHaveDuplicates();

        EdgeStoreModelTest.deliverAll(store, server);
        store.refresh(server.source());
        assertThat(store.status().localPoints()).isZero();
        assertThat(payloadOf(store, 4)).contains("\"w2\":1");
        store.outbox().compact();
        assertThat(store.outbox().stats().delivered()).isZero();
    }

    @Test
    void aWriteMadeDuringARefreshIsReadBeforeDuringAndAfterIt() throws Exception {
        for (TestServer.HoldPoint hold : TestServer.HoldPoint.values()) {
            Path base = temp.resolve(hold.name());
            try (TestServer server = TestServer.create(base.resolve("server"), SyncTestSupport.config());
                    EdgeStore store = EdgeStore.open(base.resolve("store"), SyncTestSupport.config())) {
                server.apply(SyncTestSupport.upsert("srv", 1, 2, 3, 4, 5));
                store.refresh(server.source());
                store.update(SyncTestSupport.setPayload("{\"before\":1}", 2));
                EdgeStoreModelTest.deliverAll(store, server); // acknowledged before the request: reflected

                server.holdNextDownload(hold);
                CompletableFuture<RefreshResult> refresh = CompletableFuture.supplyAsync(() -> {
                    try {
                        return store.refresh(server.source());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                server.awaitDownloadHeld();
                // during the download: reads go on, writes go on and are read back at once
                store.update(SyncTestSupport.setPayload("{\"during\":1}", 3));
                assertThat(payloadOf(store, 3)).contains("\"during\":1");
                EdgeStoreModelTest.deliverAll(store, server); // the server has it; the archive may or may not
                assertThat(payloadOf(store, 3)).as(hold + ": during").contains("\"during\":1");
                assertThat(store.count(null)).isEqualTo(5);
                server.release();
                RefreshResult result = refresh.get(60, TimeUnit.SECONDS);

                assertThat(result.entriesReflected()).as(hold + ": only the write acknowledged before").isEqualTo(1);
                assertThat(payloadOf(store, 3)).as(hold + ": after").contains("\"during\":1");
                assertThat(payloadOf(store, 2)).contains("\"before\":1");
                assertThat(store.count(null)).isEqualTo(5);
                assertThat(searchIds(store, new float[] {0, 1, 0, 0}, 10)).as(hold + ": no duplicates").hasSize(5)
                        .doesNotHaveDuplicates();
                assertThat(contents(store)).hasSize(5);
                assertThat(store.status().localPoints()).as(hold + ": the later write keeps its copy").isEqualTo(1);

                store.refresh(server.source());
                assertThat(store.status().localPoints()).isZero();
                assertThat(payloadOf(store, 3)).contains("\"during\":1");
            }
        }
    }

    @Test
    void readsGoOnWhileTheMirrorIsBootstrapped() throws Exception {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.update(SyncTestSupport.upsert("mine", 9));
        server.holdNextDownload(TestServer.HoldPoint.AFTER_ARCHIVE);
        CompletableFuture<RefreshResult> refresh = CompletableFuture.supplyAsync(() -> {
            try {
                return store.refresh(server.source());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        server.awaitDownloadHeld();
        assertThat(contents(store).keySet()).containsExactly(id(9));
        server.release();
        assertThat(refresh.get(60, TimeUnit.SECONDS).kind()).isEqualTo(RefreshResult.Kind.FULL);
        assertThat(contents(store).keySet()).containsExactly(id(1), id(2), id(3), id(4), id(5), id(9));
    }

    @Test
    void aDeadEntryKeepsItsLocalEffectUntilPurgedThenTheMirrorWins() throws Exception {
        TestServer server = serverWithFivePoints();
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.setPayload("{\"bad\":1}", 3));
        store.update(SyncTestSupport.setPayload("{\"good\":1}", 4));
        OutboxSink refusing = ops -> {
            for (UpdateOperation op : ops) {
                if (encoded(op).equals(encoded(SyncTestSupport.setPayload("{\"bad\":1}", 3)))) {
                    throw DeliveryException.permanentFailure("Bad request: bad", null);
                }
            }
            server.sink().deliver(ops);
        };
        try (OutboxPublisher publisher = new OutboxPublisher(store.outbox(), refusing,
                PublisherOptions.defaults().withLinger(Duration.ZERO), Clock.systemUTC())) {
            publisher.start();
            assertThat(publisher.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(store.outbox().get(1).orElseThrow().state()).isEqualTo(OutboxState.DEAD);

        store.refresh(server.source());
        assertThat(payloadOf(store, 3)).contains("\"bad\":1");
        assertThat(payloadOf(store, 4)).contains("\"good\":1");
        assertThat(store.status().localPoints()).isEqualTo(1);
        assertThat(store.status().outbox().dead()).isEqualTo(1);

        store.outbox().purge(1);
        assertThat(payloadOf(store, 3)).as("until the next refresh").contains("\"bad\":1");
        store.refresh(server.source());
        assertThat(payloadOf(store, 3)).isEqualTo("{\"n\":3,\"tag\":\"srv\"}");
        assertThat(store.status().localPoints()).isZero();
    }

    @Test
    void openingAppliesAnEntryWhoseLocalEffectACrashInterrupted() throws IOException {
        Path dir = temp.resolve("store");
        TestServer server = serverWithFivePoints();
        try (EdgeStore store = EdgeStore.open(dir, SyncTestSupport.config())) {
            store.refresh(server.source());
            store.update(SyncTestSupport.upsert("a", 7));
        }
        long lastLocal;
        try (EdgeShard local = EdgeShard.load(dir.resolve(EdgeStore.LOCAL_DIR))) {
            lastLocal = local.lastOperationNumber();
        }
        // What a crash right after the outbox append leaves: the entries, without their local effect. The second
        // one changes a mirror point, so its effect is a copy and then the change.
        try (OutboxLog outbox = OutboxLog.open(dir.resolve(EdgeStore.OUTBOX_DIR))) {
            outbox.append(SyncTestSupport.upsert("b", 8), lastLocal + 1, ids(8));
            outbox.append(SyncTestSupport.setPayload("{\"x\":1}", 2), lastLocal + 3, ids(2));
        }
        try (EdgeStore store = EdgeStore.open(dir, null, EdgeStoreOptions.defaults())) {
            assertThat(payloadOf(store, 8)).contains("\"b\"");
            assertThat(payloadOf(store, 2)).isEqualTo("{\"n\":2,\"tag\":\"srv\",\"x\":1}");
            assertThat(store.count(null)).isEqualTo(7);
            assertThat(store.status().localPoints()).isEqualTo(3);
            assertThat(store.update(SyncTestSupport.delete(7))).isEqualTo(4);
        }
        // opened again: nothing is applied twice
        try (EdgeStore store = EdgeStore.open(dir, null, EdgeStoreOptions.defaults())) {
            assertThat(store.count(null)).isEqualTo(6);
            OutboxModel.deliverAndCompare(store, server);
        }
    }

    @Test
    void theLocalOperationNumbersRecordedInTheOutboxMatchTheLocalShardAcrossWalTruncation() {
        Path dir = temp.resolve("store");
        dev.qdrantedge.engine.config.EdgeConfig base = SyncTestSupport.config();
        dev.qdrantedge.engine.config.EdgeConfig smallWal = new dev.qdrantedge.engine.config.EdgeConfig(
                base.vectors(), base.sparseVectors(), null, null, null,
                dev.qdrantedge.engine.wal.WalOptions.defaults().withSegmentCapacity(2048));
        long lastRecorded;
        try (EdgeStore store = EdgeStore.open(dir, smallWal)) {
            for (int i = 1; i <= 120; i++) {
                store.update(SyncTestSupport.upsert("v" + i, i % 17));
                if (i % 10 == 0) {
                    store.flush(); // acknowledges the WAL, which drops closed segments
                }
            }
            List<OutboxEntry> entries = store.outbox().unreflected();
            lastRecorded = entries.get(entries.size() - 1).localOperation();
            assertThat(entries).extracting(OutboxEntry::localOperation).doesNotHaveDuplicates().isSorted();
        }
        try (EdgeShard local = EdgeShard.load(dir.resolve(EdgeStore.LOCAL_DIR))) {
            assertThat(local.lastOperationNumber()).isEqualTo(lastRecorded);
            assertThat(dir.resolve(EdgeStore.LOCAL_DIR).resolve(EdgeShard.WAL_DIR).toFile().list())
                    .as("the WAL was truncated").hasSizeLessThan(20);
        }
        try (EdgeStore store = EdgeStore.open(dir, null, EdgeStoreOptions.defaults())) {
            assertThat(store.update(SyncTestSupport.upsert("last", 1))).isEqualTo(121);
            assertThat(store.outbox().get(121).orElseThrow().localOperation()).isEqualTo(lastRecorded + 1);
        }
    }

    @Test
    void equalScoresFromBothSidesComeInQdrantsOrderAcrossShards() throws IOException {
        TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
        open.add(server);
        server.apply(SyncTestSupport.upsert(SyncTestSupport.point(2, new float[] {1, 0, 0, 0}, "{}"),
                SyncTestSupport.point(5, new float[] {3, 0, 0, 0}, "{}")));
        EdgeStore store = store();
        store.refresh(server.source());
        store.update(SyncTestSupport.upsert(SyncTestSupport.point(3, new float[] {1, 0, 0, 0}, "{}"),
                SyncTestSupport.point(1, new float[] {2, 0, 0, 0}, "{}")));
        // Dot: larger scores first, equal ones by the larger id first
        assertThat(searchIds(store, new float[] {1, 0, 0, 0}, 10)).containsExactly(id(5), id(1), id(3), id(2));
        assertThat(store.search(SearchRequest.of("", new DenseVector(new float[] {1, 0, 0, 0}), 2).withOffset(1))
                .stream().map(ScoredPoint::id).toList()).containsExactly(id(1), id(3));
        // Euclid ("w" is (id, 0)): smaller distances first, equal ones by the smaller id first
        store.update(new UpdateVectors(List.of(new PointVectors(id(3), Map.of("w", new DenseVector(
                new float[] {2, 0})))), Optional.empty()));
        List<ScoredPoint> near = store.search(SearchRequest.of("w", new DenseVector(new float[] {2, 0}), 3));
        assertThat(near).extracting(ScoredPoint::id).containsExactly(id(2), id(3), id(1));
        assertThat(near.get(0).score()).isEqualTo(near.get(1).score());
    }

    @Test
    void aStoreWithoutAConfigurationOrOpenTwiceIsRefused() {
        assertThatThrownBy(() -> EdgeStore.open(temp.resolve("none"), null, EdgeStoreOptions.defaults()))
                .isInstanceOf(EdgeException.class).hasMessageContaining("a configuration is needed");
        EdgeStore store = store();
        assertThatThrownBy(() -> EdgeStore.open(temp.resolve("store"), SyncTestSupport.config()))
                .isInstanceOf(EdgeException.class).hasMessageContaining("already open");
        store.close();
        assertThatThrownBy(() -> store.count(null)).hasMessageContaining("closed");
    }

    @Test
    void facetsNeedAnIndexAsInQdrant() {
        EdgeStore store = store();
        store.update(SyncTestSupport.upsert("a", 1));
        assertThatThrownBy(() -> store.facet(new FacetRequest(JsonPath.parse("tag"), 10, null, true)))
                .isInstanceOf(Facets.MissingIndexException.class);
    }

    @Test
    void scrollPagesInterleaveLocalAndMirrorPointsStably() throws IOException {
        TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
        open.add(server);
        for (long id = 2; id <= 40; id += 2) {
            server.apply(SyncTestSupport.upsert("srv", id));
        }
        EdgeStore store = store();
        store.refresh(server.source());
        for (long id = 1; id <= 39; id += 4) {
            store.update(SyncTestSupport.upsert("local", id));
        }
        store.update(SyncTestSupport.setPayload("{\"x\":1}", 10, 20));
        store.update(SyncTestSupport.delete(12, 13));
        for (int size = 1; size <= 6; size++) {
            List<PointId> seen = new ArrayList<>();
            PointId offset = null;
            do {
                var page = store.scroll(new ScrollRequest(offset, size, null, WithPayload.NONE, WithVector.NONE));
                page.points().forEach(r -> seen.add(r.id()));
                offset = page.nextOffset();
                if (offset != null) {
                    assertThat(page.points()).hasSize(size);
                    assertThat(offset).isGreaterThan(page.points().get(size - 1).id());
                }
            } while (offset != null);
            assertThat(seen).as("page size " + size).isSorted().doesNotHaveDuplicates()
                    .isEqualTo(new ArrayList<>(contents(store).keySet())).hasSize(20 + 10 - 2);
        }
    }

    /** Delivering everything brings the server to exactly what the store reads. */
    static final class OutboxModel {
        private OutboxModel() {
        }

        static void deliverAndCompare(EdgeStore store, TestServer server) throws IOException {
            Map<PointId, String> reads = contents(store);
            try {
                EdgeStoreModelTest.deliverAll(store, server);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(contents(server.shard())).as("the server after delivery").isEqualTo(reads);
            store.refresh(server.source());
            assertThat(contents(store)).as("the store after a refresh").isEqualTo(reads);
            assertThat(store.status().localPoints()).isZero();
        }
    }
}
