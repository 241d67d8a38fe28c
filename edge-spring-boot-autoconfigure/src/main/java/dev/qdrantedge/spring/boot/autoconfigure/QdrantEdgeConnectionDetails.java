package dev.qdrantedge.spring.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the Qdrant server is and how to authenticate to it: the gRPC API for point writes and the REST API for
 * shard snapshots. By default the {@code qdrant.edge.server.*} properties provide it; a bean of this type
 * replaces them, e.g. one a {@code @ServiceConnection} Testcontainers {@code QdrantContainer} contributes.
 */
public interface QdrantEdgeConnectionDetails extends ConnectionDetails {

    /** Host name or address of the server. */
    String getHost();

    /** Port of the gRPC API (Qdrant's default 6334). */
    int getGrpcPort();

    /** Port of the REST API (Qdrant's default 6333). */
    int getHttpPort();

    /** The API key sent with every request, or {@code null} for none. */
    String getApiKey();

    /** Whether both APIs are reached over TLS. */
    boolean isUseTls();

    /**
     * The REST API's base URI, without a trailing slash: append paths starting with {@code /}, e.g.
     * {@code /collections/docs/shards/0/snapshot}. By default {@code http(s)://host:httpPort}.
     */
    default URI getRestBaseUri() {
        try {
            return new URI(isUseTls() ? "https" : "http", null, getHost(), getHttpPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no valid REST URI for host '" + getHost() + "': " + e.getMessage(), e);
        }
    }
}
