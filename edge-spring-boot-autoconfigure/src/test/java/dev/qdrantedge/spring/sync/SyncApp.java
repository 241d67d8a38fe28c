package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.sync.RestrictedOperations;
import dev.qdrantedge.engine.sync.OutboxEntry;
import java.util.Optional;
import java.util.Map;
import java.util.HashMap;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxPublisher;
import dev.qdrantedge.engine.sync.PublisherOptions;
import dev.qdrantedge.spring.client.QdrantOutboxSink;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Metadata;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The sync side of one application instance, as an application wires it: an {@link EdgeStore} in a
 * directory, a gRPC {@link QdrantClient} to a server on a TCP port, a {@link QdrantOutboxSink} and a started
 * {@link OutboxPublisher}. The client sends the instance's name as its API key, so that the server's recorded
 * requests tell the instances apart ({@link #instanceOf}). Closing stops the publisher, then closes the store
 * and the client: an orderly shutdown.
 */
final class SyncApp implements AutoCloseable {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    final String instance;
    final EdgeStore store;
    final QdrantClient client;
    final OutboxPublisher publisher;

    private SyncApp(String instance, EdgeStore store, QdrantClient client, OutboxPublisher publisher) {
        this.instance = instance;
        this.store = store;
        this.client = client;
        this.publisher = publisher;
    }

    /** Opens the store in {@code directory} (creating it) and starts delivering to the server at host:port. */
    static SyncApp start(Path directory, String host, int port, String instance, PublisherOptions options) {
        EdgeStore store = EdgeStore.open(directory, SyncFixtures.config(), SyncFixtures.storeOptions());
        QdrantClient client = null;
        try {
            client = new QdrantClient(QdrantGrpcClient.newBuilder(host, port, false).withApiKey(instance).build());
            OutboxPublisher publisher = new OutboxPublisher(store.outbox(),
                    new QdrantOutboxSink(client, SyncFixtures.sinkOptions()), options, Clock.systemUTC());
            publisher.start();
            return new SyncApp(instance, store, client, publisher);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * Writes operations {@code from} to {@code to - 1} of {@code operations} to the store, which must accept
     * each, and to {@code model}, and adds their marks to {@code accepted}.
     */
    void write(EdgeShard model, MixedOperations operations, int from, int to, List<OperationMarks.Mark> accepted) {
        write(model, operations, from, to, accepted, new HashMap<>());
    }

    /**
     * As {@link #write(EdgeShard, MixedOperations, int, int, List)}, also putting each operation's restricted
     * form (the form a delivery after a lost acknowledgement takes) into {@code restricted}.
     */
    void write(EdgeShard model, MixedOperations operations, int from, int to, List<OperationMarks.Mark> accepted,
            Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted) {
        for (int n = from; n < to; n++) {
            UpdateOperation op = operations.next(n);
            long seq = store.update(op);
            model.update(op);
            OperationMarks.Mark mark = OperationMarks.of(op);
            accepted.add(mark);
            OutboxEntry entry = store.outbox().get(seq).orElseThrow();
            restricted.put(mark, RestrictedOperations.restrict(op, entry.pointIds()).map(OperationMarks::of));
        }
    }

    /** The instance that sent {@code request}. */
    static String instanceOf(ReceivedRequest request) {
        String key = request.headers().get(API_KEY);
        return key == null ? "?" : key;
    }

    @Override
    public void close() {
        publisher.stop();
        try {
            store.close();
        } finally {
            client.close();
        }
    }
}
