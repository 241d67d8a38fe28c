package dev.qdrantedge.demo.status;

/**
 * The answer of {@code GET /api/status}.
 *
 * @param mode {@code embedded} (local shard only) or {@code server} (a Qdrant server is configured)
 * @param shard the local shard
 * @param server the configured server, or {@code null} in {@code embedded} mode
 * @param sync what syncing does
 */
public record SyncStatus(String mode, Shard shard, Server server, Sync sync) {

    /**
     * The local shard.
     *
     * @param path absolute directory
     * @param segments number of segments
     * @param points number of points (notes)
     */
    public record Shard(String path, int segments, long points) {
    }

    /**
     * The configured server.
     *
     * @param url REST base URL
     * @param grpcPort port of the gRPC API
     * @param collection collection the edge mirrors and writes to
     * @param apiKey whether an API key is set (the key itself is never shown)
     */
    public record Server(String url, int grpcPort, String collection, boolean apiKey) {
    }

    /**
     * The sync state.
     *
     * @param state {@code local-only} or {@code configured}
     * @param detail a sentence for people
     */
    public record Sync(String state, String detail) {
    }
}
