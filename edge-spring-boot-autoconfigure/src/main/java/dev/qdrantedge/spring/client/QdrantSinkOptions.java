package dev.qdrantedge.spring.client;

import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link QdrantOutboxSink} delivers.
 *
 * <p>Routing: with a {@code shardKeySelector} every point request carries it, so that a tenant of a
 * collection with custom sharding writes to its own shard(s); without one, Qdrant routes by point id. A
 * shard <em>id</em> cannot be chosen: Qdrant's public gRPC API has no field for it (only the cluster-internal
 * {@code PointsInternal} service, which peers use among themselves, takes one), so shard keys are the one way
 * a client routes writes. Payload-index and vector-name operations apply to the whole collection and carry no
 * selector.
 *
 * <p>Ordering: Qdrant's {@code WriteOrdering}. The default is {@link WriteOrderingType#Medium}: the writes to
 * a shard go through one replica acting as its leader, so that on a replicated collection two clients (two edge
 * devices, say) writing the same point cannot leave the replicas holding different versions of it, at a small
 * latency cost; {@code Weak} (Qdrant's own default) lets each replica apply concurrent writes in the order it
 * receives them, {@code Strong} goes through the permanent leader and fails while it is down. On a single-node
 * Qdrant all three behave alike. The sink itself sends one request at a time and waits for each.
 *
 * @param collectionName the server collection, not blank
 * @param shardKeySelector the shard key(s) to send with every point request, if the collection uses custom
 *     sharding
 * @param ordering the write ordering of every request
 * @param callTimeout the deadline of each gRPC call, positive; a call that misses it is a transient failure
 *     (the server may still apply it, which is safe: delivered operations are idempotent)
 */
public record QdrantSinkOptions(String collectionName, Optional<ShardKeySelector> shardKeySelector,
        WriteOrderingType ordering, Duration callTimeout) {

    /** {@link WriteOrderingType#Medium}; see the class description. */
    public static final WriteOrderingType DEFAULT_ORDERING = WriteOrderingType.Medium;

    /** 30 seconds: room for a large batch with {@code wait=true} on a busy server. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    public QdrantSinkOptions {
        Objects.requireNonNull(collectionName, "collectionName");
        if (collectionName.isBlank()) {
            throw new IllegalArgumentException("the Qdrant collection name must not be blank");
        }
        Objects.requireNonNull(shardKeySelector, "shardKeySelector");
        shardKeySelector.ifPresent(QdrantSinkOptions::checkSelector);
        Objects.requireNonNull(ordering, "ordering");
        if (ordering == WriteOrderingType.UNRECOGNIZED) {
            throw new IllegalArgumentException("write ordering must be Weak, Medium or Strong");
        }
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("the Qdrant call timeout must be positive, got " + callTimeout);
        }
    }

    /** Delivery to {@code collectionName} without shard key, with the default ordering and call timeout. */
    public static QdrantSinkOptions forCollection(String collectionName) {
        return new QdrantSinkOptions(collectionName, Optional.empty(), DEFAULT_ORDERING, DEFAULT_CALL_TIMEOUT);
    }

    /** These options with every point request routed to the shard of this keyword shard key. */
    public QdrantSinkOptions withShardKey(String keyword) {
        return withShardKeySelector(ShardKeySelector.newBuilder()
                .addShardKeys(ShardKey.newBuilder().setKeyword(keyword)).build());
    }

    /** These options with every point request routed to the shard of this numeric shard key. */
    public QdrantSinkOptions withShardKey(long number) {
        return withShardKeySelector(ShardKeySelector.newBuilder()
                .addShardKeys(ShardKey.newBuilder().setNumber(number)).build());
    }

    /** These options with this shard key selector (several keys, a fallback) on every point request. */
    public QdrantSinkOptions withShardKeySelector(ShardKeySelector selector) {
        return new QdrantSinkOptions(collectionName, Optional.of(selector), ordering, callTimeout);
    }

    public QdrantSinkOptions withOrdering(WriteOrderingType newOrdering) {
        return new QdrantSinkOptions(collectionName, shardKeySelector, newOrdering, callTimeout);
    }

    public QdrantSinkOptions withCallTimeout(Duration newTimeout) {
        return new QdrantSinkOptions(collectionName, shardKeySelector, ordering, newTimeout);
    }

    private static void checkSelector(ShardKeySelector selector) {
        if (selector.getShardKeysCount() == 0) {
            throw new IllegalArgumentException("a shard key selector needs at least one shard key");
        }
        for (ShardKey key : selector.getShardKeysList()) {
            checkKey(key);
        }
        if (selector.hasFallback()) {
            checkKey(selector.getFallback());
        }
    }

    private static void checkKey(ShardKey key) {
        if (key.getKeyCase() == ShardKey.KeyCase.KEY_NOT_SET) {
            throw new IllegalArgumentException("a shard key needs a keyword or a number");
        }
        if (key.getKeyCase() == ShardKey.KeyCase.KEYWORD && key.getKeyword().isBlank()) {
            throw new IllegalArgumentException("a keyword shard key must not be blank");
        }
    }
}
