package dev.qdrantedge.spring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.ShardKeySelectorFactory;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QdrantSinkOptionsTest {

    @Test
    void defaultsAreMediumOrderingThirtySecondsAndNoShardKey() {
        QdrantSinkOptions options = QdrantSinkOptions.forCollection("items");

        assertThat(options.ordering()).isEqualTo(WriteOrderingType.Medium);
        assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.shardKeySelector()).isEmpty();
    }

    @Test
    void shardKeysBecomeSelectors() {
        assertThat(QdrantSinkOptions.forCollection("items").withShardKey("tenant").shardKeySelector().get()
                .getShardKeys(0).getKeyword()).isEqualTo("tenant");
        assertThat(QdrantSinkOptions.forCollection("items").withShardKey(42).shardKeySelector().get()
                .getShardKeys(0).getNumber()).isEqualTo(42);
        ShardKeySelector two = ShardKeySelectorFactory.shardKeySelector("a", "b");
        assertThat(QdrantSinkOptions.forCollection("items").withShardKeySelector(two).shardKeySelector())
                .contains(two);
    }

    @Test
    void invalidOptionsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection(" "))
                .hasMessageContaining("collection name must not be blank");
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection("items").withCallTimeout(Duration.ZERO))
                .hasMessageContaining("call timeout must be positive");
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection("items").withOrdering(WriteOrderingType.UNRECOGNIZED))
                .hasMessageContaining("Weak, Medium or Strong");
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection("items")
                .withShardKeySelector(ShardKeySelector.getDefaultInstance()))
                .hasMessageContaining("at least one shard key");
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection("items").withShardKey(""))
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> QdrantSinkOptions.forCollection("items").withShardKeySelector(
                ShardKeySelector.newBuilder().addShardKeys(ShardKey.getDefaultInstance()).build()))
                .hasMessageContaining("needs a keyword or a number");
        assertThatThrownBy(() -> new QdrantSinkOptions("items", null, WriteOrderingType.Weak, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThat(new QdrantSinkOptions("items", Optional.empty(), WriteOrderingType.Weak, Duration.ofMillis(1))
                .ordering()).isEqualTo(WriteOrderingType.Weak);
    }
}
