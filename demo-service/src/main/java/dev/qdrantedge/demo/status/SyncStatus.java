package dev.qdrantedge.demo.status;

/**
 * The answer of {@code GET /api/status}.
 *
 * @param mode {@code embedded} (local store only) or {@code server} (a Qdrant server is configured)
 * @param shard the store the notes are in
 * @param server the configured server, or {@code null} in {@code embedded} mode
 * @param sync what syncing does
 */
public record SyncStatus(String mode, Shard shard, Server server, Sync sync) {

    /**
     * The store the notes are in.
     *
     * @param path absolute directory
     * @param points number of notes the application reads (the server's and its own)
     * @param local notes written here and not yet read back from the server's mirror
     * @param mirror points of the server's collection in the mirror (0 before the first refresh)
     */
    public record Shard(String path, long points, long local, long mirror) {
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
     * @param state {@code local-only} (no server), {@code connecting} (no refresh yet), {@code synced} (the last
     *     refresh succeeded) or {@code offline} (the last refresh failed)
     * @param detail a sentence for people
     * @param waiting note changes waiting in the outbox for delivery to the server
     */
    public record Sync(String state, String detail, long waiting) {
    }
}
