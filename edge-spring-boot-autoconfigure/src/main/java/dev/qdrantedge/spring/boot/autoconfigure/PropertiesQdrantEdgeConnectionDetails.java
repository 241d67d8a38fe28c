package dev.qdrantedge.spring.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.util.StringUtils;

/**
 * {@link QdrantEdgeConnectionDetails} from {@code qdrant.edge.server.*}: either {@code url} (scheme, host, HTTP port
 * and path prefix; {@code grpc-port} alongside) or {@code host} with {@code http-port}, {@code grpc-port} and
 * {@code use-tls}. The properties are validated before this is built ({@link EdgePropertiesValidator}).
 */
final class PropertiesQdrantEdgeConnectionDetails implements QdrantEdgeConnectionDetails {

    private final EdgeProperties.Server server;

    PropertiesQdrantEdgeConnectionDetails(EdgeProperties.Server server) {
        this.server = server;
    }

    @Override
    public String getHost() {
        URI url = server.getUrl();
        if (url == null) {
            return server.getHost().trim();
        }
        String host = url.getHost();
        // URI keeps the brackets of an IPv6 literal; a host name is given without them.
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public int getGrpcPort() {
        return server.getGrpcPort();
    }

    @Override
    public int getHttpPort() {
        URI url = server.getUrl();
        return url != null && url.getPort() != -1 ? url.getPort() : server.getHttpPort();
    }

    @Override
    public String getApiKey() {
        return StringUtils.hasText(server.getApiKey()) ? server.getApiKey() : null;
    }

    @Override
    public boolean isUseTls() {
        URI url = server.getUrl();
        return url != null ? "https".equals(url.getScheme().toLowerCase(Locale.ROOT)) : server.isUseTls();
    }

    /** The url's path prefix is kept (without a trailing slash), for servers behind a reverse proxy. */
    @Override
    public URI getRestBaseUri() {
        URI url = server.getUrl();
        if (url == null) {
            return QdrantEdgeConnectionDetails.super.getRestBaseUri();
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        try {
            URI base = new URI(isUseTls() ? "https" : "http", null, getHost(), getHttpPort(), null, null, null);
            return URI.create(base + path);
        } catch (URISyntaxException e) {
            throw new InvalidEdgePropertyException("server.url", e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "QdrantEdgeConnectionDetails[" + getRestBaseUri() + ", grpc port " + getGrpcPort()
                + (getApiKey() != null ? ", with API key" : "") + "]";
    }
}
