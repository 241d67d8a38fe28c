package dev.qdrantedge.demo.status;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.sync.StoreStatus;
import dev.qdrantedge.spring.boot.autoconfigure.EdgeProperties;
import dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: where the notes live and how they sync, from the store's own status. Without a server the
 * application runs on the local store alone ({@code "mode": "embedded"}); with {@code qdrant.edge.server.url} (or
 * {@code host}) it names the server and collection ({@code "mode": "server"}) and tells how the last refresh went
 * and how many notes wait for delivery.
 */
@RestController
public class StatusController {

    private final EdgeStore store;
    private final EdgeProperties properties;
    private final ObjectProvider<QdrantEdgeConnectionDetails> server;

    public StatusController(EdgeStore store, EdgeProperties properties,
            ObjectProvider<QdrantEdgeConnectionDetails> server) {
        this.store = store;
        this.properties = properties;
        this.server = server;
    }

    @GetMapping("/api/status")
    public SyncStatus status() {
        StoreStatus status = store.status();
        SyncStatus.Shard local = new SyncStatus.Shard(store.directory().toAbsolutePath().normalize().toString(),
                store.count(null), status.localPoints(), status.mirrorPoints());
        long waiting = status.outbox().backlog();
        QdrantEdgeConnectionDetails details = server.getIfAvailable();
        if (details == null) {
            return new SyncStatus("embedded", local, null, new SyncStatus.Sync("local-only",
                    "No server configured: notes stay in the local store. Set QDRANT_EDGE_SERVER_URL and "
                            + "QDRANT_EDGE_SERVER_COLLECTION_NAME to sync with a Qdrant server.", waiting));
        }
        SyncStatus.Server remote = new SyncStatus.Server(details.getRestBaseUri().toString(), details.getGrpcPort(),
                properties.getServer().getCollectionName(), details.getApiKey() != null);
        return new SyncStatus("server", local, remote, sync(status, waiting));
    }

    private static SyncStatus.Sync sync(StoreStatus status, long waiting) {
        String outbox = waiting + (waiting == 1 ? " note change waits" : " note changes wait") + " for delivery.";
        if (status.lastRefreshError().isPresent()) {
            return new SyncStatus.Sync("offline", "The last refresh from the server failed ("
                    + status.lastRefreshError().get() + "); notes are served from the local store. " + outbox,
                    waiting);
        }
        if (status.lastRefresh().isPresent()) {
            RefreshResult last = status.lastRefresh().get();
            return new SyncStatus.Sync("synced", "Refreshed from the server at " + last.finishedAt() + " ("
                    + status.mirrorPoints() + " notes from the server). " + outbox, waiting);
        }
        return new SyncStatus.Sync("connecting", "Waiting for the first refresh from the server. " + outbox, waiting);
    }
}
