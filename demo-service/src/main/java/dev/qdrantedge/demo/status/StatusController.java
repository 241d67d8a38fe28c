package dev.qdrantedge.demo.status;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.ShardInfo;
import dev.qdrantedge.spring.boot.autoconfigure.EdgeProperties;
import dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: where the notes live and whether they sync. Without a server the application runs on
 * the local shard alone ({@code "mode": "embedded"}); with {@code qdrant.edge.server.url} (or {@code host}) it
 * names the server and collection ({@code "mode": "server"}).
 */
@RestController
public class StatusController {

    private final EdgeShard shard;
    private final EdgeProperties properties;
    private final ObjectProvider<QdrantEdgeConnectionDetails> server;

    public StatusController(EdgeShard shard, EdgeProperties properties,
            ObjectProvider<QdrantEdgeConnectionDetails> server) {
        this.shard = shard;
        this.properties = properties;
        this.server = server;
    }

    @GetMapping("/api/status")
    public SyncStatus status() {
        ShardInfo info = shard.info();
        SyncStatus.Shard local = new SyncStatus.Shard(shard.directory().toAbsolutePath().normalize().toString(),
                info.segmentsCount(), info.pointsCount());
        QdrantEdgeConnectionDetails details = server.getIfAvailable();
        if (details == null) {
            return new SyncStatus("embedded", local, null, new SyncStatus.Sync("local-only",
                    "No server configured: notes stay in the local shard. Set QDRANT_EDGE_SERVER_URL and "
                            + "QDRANT_EDGE_SERVER_COLLECTION_NAME to sync with a Qdrant server."));
        }
        SyncStatus.Server remote = new SyncStatus.Server(details.getRestBaseUri().toString(), details.getGrpcPort(),
                properties.getServer().getCollectionName(), details.getApiKey() != null);
        return new SyncStatus("server", local, remote, new SyncStatus.Sync("configured",
                "A server is configured; this version of the starter does not sync yet, so notes stay in the local "
                        + "shard."));
    }
}
