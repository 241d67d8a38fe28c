package dev.qdrantedge.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class HttpSnapshotOptionsTest {

    private static HttpSnapshotOptions.Builder valid() {
        return HttpSnapshotOptions.builder("http://qdrant:6333", "docs", 0);
    }

    @Test
    void buildsTheShardSnapshotUrls() {
        HttpSnapshotOptions options = HttpSnapshotOptions.builder("HTTPS://Qdrant.example:6333/base//", "my coll/ä", 7)
                .build();
        assertThat(options.baseUrl().toString()).isEqualTo("https://Qdrant.example:6333/base");
        assertThat(options.fullSnapshotUri().toString())
                .isEqualTo("https://Qdrant.example:6333/base/collections/my%20coll%2F%C3%A4/shards/7/snapshot");
        assertThat(options.partialSnapshotUri().toString()).isEqualTo(
                "https://Qdrant.example:6333/base/collections/my%20coll%2F%C3%A4/shards/7/snapshot/partial/create");
        assertThat(HttpSnapshotOptions.builder("http://[::1]:6333", "c", 0).build().fullSnapshotUri().toString())
                .isEqualTo("http://[::1]:6333/collections/c/shards/0/snapshot");
    }

    @Test
    void hasTheDocumentedDefaults() {
        HttpSnapshotOptions options = valid().build();
        assertThat(options.apiKey()).isEmpty();
        assertThat(options.sslContext()).isEmpty();
        assertThat(options.connectTimeout()).isEqualTo(HttpSnapshotOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(options.readTimeout()).isEqualTo(HttpSnapshotOptions.DEFAULT_READ_TIMEOUT);
        assertThat(options.requestTimeout()).isEqualTo(HttpSnapshotOptions.DEFAULT_REQUEST_TIMEOUT);
        assertThat(options.maxArchiveBytes()).isEqualTo(HttpSnapshotOptions.DEFAULT_MAX_ARCHIVE_BYTES);
        assertThat(options.maxAttempts()).isEqualTo(HttpSnapshotOptions.DEFAULT_MAX_ATTEMPTS);
        assertThat(options.backoff()).isEqualTo(HttpSnapshotOptions.DEFAULT_BACKOFF);
    }

    @Test
    void refusesBadUrlsWithClearMessages() {
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("ftp://qdrant", "c", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("qdrant:6333", "c", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http://user:pw@qdrant", "c", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user info")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http://qdrant/?x=1", "c", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http://qd rant", "c", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a URL");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http:///path", "c", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    }

    @Test
    void refusesBadValuesWithClearMessages() throws Exception {
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http://q", " ", 0).build())
                .hasMessageContaining("collection name must not be blank");
        assertThatThrownBy(() -> HttpSnapshotOptions.builder("http://q", "c", -1).build())
                .hasMessageContaining("shard id must be at least 0, got -1");
        assertThatThrownBy(() -> valid().readTimeout(Duration.ZERO).build())
                .hasMessageContaining("readTimeout must be positive");
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("connectTimeout must be positive");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> valid().maxArchiveBytes(0).build())
                .hasMessageContaining("maxArchiveBytes must be positive, got 0");
        assertThatThrownBy(() -> valid().maxAttempts(0).build())
                .hasMessageContaining("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> valid().progress(0, Duration.ofSeconds(1)).build())
                .hasMessageContaining("progressBytes must be positive");
        assertThatThrownBy(() -> valid().apiKey("  ").build()).hasMessageContaining("API key must not be blank");
        assertThatThrownBy(() -> valid().apiKey("key\r\nX-Evil: 1").build())
                .hasMessageContaining("visible ASCII").hasMessageContaining("index 3");
        assertThatThrownBy(() -> valid().sslContext(SSLContext.getDefault()).build())
                .hasMessageContaining("TLS context").hasMessageContaining("not https");
    }

    @Test
    void toStringDoesNotRevealTheApiKey() {
        HttpSnapshotOptions options = valid().apiKey("very-secret-key").build();
        assertThat(options.toString()).doesNotContain("very-secret-key").contains("apiKey=(set)");
    }
}
