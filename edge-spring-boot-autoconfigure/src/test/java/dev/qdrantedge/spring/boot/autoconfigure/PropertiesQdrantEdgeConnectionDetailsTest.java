package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PropertiesQdrantEdgeConnectionDetailsTest {

    private static QdrantEdgeConnectionDetails details(EdgeProperties.Server server) {
        return new PropertiesQdrantEdgeConnectionDetails(server);
    }

    @Test
    void aHostTakesThePortsAndTlsFromTheirProperties() {
        EdgeProperties.Server server = new EdgeProperties.Server();
        server.setHost(" qdrant.internal ");
        QdrantEdgeConnectionDetails d = details(server);
        assertThat(d.getHost()).isEqualTo("qdrant.internal");
        assertThat(d.getHttpPort()).isEqualTo(6333);
        assertThat(d.getGrpcPort()).isEqualTo(6334);
        assertThat(d.isUseTls()).isFalse();
        assertThat(d.getApiKey()).isNull();
        assertThat(d.getRestBaseUri()).isEqualTo(URI.create("http://qdrant.internal:6333"));

        server.setUseTls(true);
        server.setHttpPort(443);
        server.setApiKey("k");
        assertThat(d.getRestBaseUri()).isEqualTo(URI.create("https://qdrant.internal:443"));
        assertThat(d.getApiKey()).isEqualTo("k");
    }

    @Test
    void aBlankApiKeyIsNone() {
        EdgeProperties.Server server = new EdgeProperties.Server();
        server.setHost("h");
        server.setApiKey("  ");
        assertThat(details(server).getApiKey()).isNull();
    }

    @Test
    void anHttpsUrlWithoutPortUsesHttpPortAndKeepsItsPathPrefix() {
        EdgeProperties.Server server = new EdgeProperties.Server();
        server.setUrl(URI.create("HTTPS://xyz.cloud.example/qdrant/"));
        QdrantEdgeConnectionDetails d = details(server);
        assertThat(d.getHost()).isEqualTo("xyz.cloud.example");
        assertThat(d.isUseTls()).isTrue();
        assertThat(d.getHttpPort()).isEqualTo(6333);
        assertThat(d.getGrpcPort()).isEqualTo(6334);
        assertThat(d.getRestBaseUri()).isEqualTo(URI.create("https://xyz.cloud.example:6333/qdrant"));
    }

    @Test
    void anIpv6UrlGivesTheBareAddressAsHost() {
        EdgeProperties.Server server = new EdgeProperties.Server();
        server.setUrl(URI.create("http://[::1]:7333"));
        server.setGrpcPort(7334);
        QdrantEdgeConnectionDetails d = details(server);
        assertThat(d.getHost()).isEqualTo("::1");
        assertThat(d.getHttpPort()).isEqualTo(7333);
        assertThat(d.getGrpcPort()).isEqualTo(7334);
        assertThat(d.getRestBaseUri()).isEqualTo(URI.create("http://[::1]:7333"));
    }

    @Test
    void theDefaultRestBaseUriBracketsAnIpv6Host() {
        EdgeProperties.Server server = new EdgeProperties.Server();
        server.setHost("fd00::5");
        assertThat(details(server).getRestBaseUri()).isEqualTo(URI.create("http://[fd00::5]:6333"));
    }
}
