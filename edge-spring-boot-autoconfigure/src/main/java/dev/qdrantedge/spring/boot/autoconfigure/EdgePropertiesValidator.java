package dev.qdrantedge.spring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.util.StringUtils;

/**
 * Every rule {@code qdrant.edge.*} must satisfy, checked once the properties are bound so that a wrong value
 * fails start-up rather than the first write or sync. Rules the engine owns (vector sizes and distances, HNSW
 * bounds, fsync intervals, backoff ranges) are checked by converting to the engine's types, so the engine's
 * message is the one description of each rule; this class adds the property's name and the rules of the server
 * connection, sync and outbox. All problems are reported together.
 */
final class EdgePropertiesValidator {

    private EdgePropertiesValidator() {
    }

    /** The problems of {@code properties}, one message each, naming the property; empty when all is well. */
    static List<String> problems(EdgeProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.getPath() == null) {
            problems.add(name("path") + ": must be set");
        }
        properties.getVectors().forEach((name, vector) ->
                check(problems, () -> EdgeConfigProperties.toVectorParams(name, vector)));
        properties.getSparseVectors().forEach((name, vector) ->
                check(problems, () -> EdgeConfigProperties.toSparseVectorParams(name, vector)));
        for (String name : properties.getVectors().keySet()) {
            if (properties.getSparseVectors().containsKey(name)) {
                problems.add(name("sparse-vectors." + name) + ": '" + name
                        + "' is also a dense vector (qdrant.edge.vectors." + name + "); vector names must be unique");
            }
        }
        if (properties.getFsync() == null) {
            problems.add(name("fsync") + ": must be PER_OPERATION or GROUPED");
        }
        check(problems, properties::writeOptions);
        server(properties.getServer(), problems);
        sync(properties.getSync(), problems);
        outbox(properties, problems);
        health(properties.getHealth(), problems);
        return problems;
    }

    private static void server(EdgeProperties.Server server, List<String> problems) {
        boolean hasHost = StringUtils.hasText(server.getHost());
        URI url = server.getUrl();
        if (url != null && hasHost) {
            problems.add(name("server.url") + " and " + name("server.host")
                    + " are both set: give the server either as a url or as a host with ports");
        }
        if (url != null) {
            url(url, server, problems);
        }
        port("server.http-port", server.getHttpPort(), problems);
        port("server.grpc-port", server.getGrpcPort(), problems);
        if (server.getShardId() < 0) {
            problems.add(name("server.shard-id") + ": must not be negative, was " + server.getShardId());
        }
        positive("server.connect-timeout", server.getConnectTimeout(), problems);
        positive("server.request-timeout", server.getRequestTimeout(), problems);
        if (server.hasAddress() && !StringUtils.hasText(server.getCollectionName())) {
            problems.add(name("server.collection-name") + ": must be set when a server is configured ("
                    + name(url != null ? "server.url" : "server.host") + ")");
        }
    }

    private static void url(URI url, EdgeProperties.Server server, List<String> problems) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            problems.add(name("server.url") + ": must be an http or https URL, was '" + url + "'");
            return;
        }
        if (url.getHost() == null) {
            problems.add(name("server.url") + ": names no host, was '" + url + "'");
        }
        if (url.getQuery() != null || url.getFragment() != null) {
            problems.add(name("server.url") + ": must not have a query or fragment, was '" + url + "'");
        }
        if (server.isUseTls() && "http".equals(scheme)) {
            problems.add(name("server.use-tls") + " is true but " + name("server.url") + " is http: use an https URL");
        }
    }

    private static void sync(EdgeProperties.Sync sync, List<String> problems) {
        if (sync.getBootstrap() == null) {
            problems.add(name("sync.bootstrap") + ": must be BACKGROUND or BLOCKING");
        }
        positive("sync.refresh-interval", sync.getRefreshInterval(), problems);
        notNegative("sync.initial-delay", sync.getInitialDelay(), problems);
        if (sync.getMaxSnapshotSize() == null || sync.getMaxSnapshotSize().toBytes() <= 0) {
            problems.add(name("sync.max-snapshot-size") + ": must be positive, was " + sync.getMaxSnapshotSize());
        }
        positive("sync.download-timeout", sync.getDownloadTimeout(), problems);
    }

    private static void outbox(EdgeProperties properties, List<String> problems) {
        EdgeProperties.Outbox outbox = properties.getOutbox();
        if (outbox.getBatchSize() < 1) {
            problems.add(name("outbox.batch-size") + ": must be at least 1, was " + outbox.getBatchSize());
        }
        notNegative("outbox.linger", outbox.getLinger(), problems);
        check(problems, properties::outboxFsyncPolicy);
        check(problems, outbox.getBackoff()::toBackoff);
        notNegative("outbox.drain-timeout", outbox.getDrainTimeout(), problems);
        EdgeProperties.Outbox.Retry retry = outbox.getRetry();
        positive("outbox.retry.delay", retry.getDelay(), problems);
        positive("outbox.retry.max-delay", retry.getMaxDelay(), problems);
        notNegative("outbox.retry.jitter", retry.getJitter(), problems);
        if (retry.getDelay() != null && retry.getMaxDelay() != null && retry.getJitter() != null) {
            check(problems, retry::toRetryPolicy);
        } else if (retry.getMaxRetries() < 0) {
            problems.add(name("outbox.retry.max-retries") + ": must not be negative, was " + retry.getMaxRetries());
        }
    }

    private static void health(EdgeProperties.Health health, List<String> problems) {
        if (health.getMaxBacklog() < 0) {
            problems.add(name("health.max-backlog") + ": must not be negative, was " + health.getMaxBacklog());
        }
        if (health.getMaxDeadEntries() < 0) {
            problems.add(name("health.max-dead-entries") + ": must not be negative, was "
                    + health.getMaxDeadEntries());
        }
        positive("health.max-refresh-age", health.getMaxRefreshAge(), problems);
        positive("health.server-timeout", health.getServerTimeout(), problems);
    }

    // ---------------------------------------------------------------------------------------------

    private static void check(List<String> problems, Runnable conversion) {
        try {
            conversion.run();
        } catch (InvalidEdgePropertyException e) {
            if (!problems.contains(e.getMessage())) {
                problems.add(e.getMessage());
            }
        }
    }

    private static void port(String property, int port, List<String> problems) {
        if (port < 1 || port > 65535) {
            problems.add(name(property) + ": must be a port number from 1 to 65535, was " + port);
        }
    }

    private static void positive(String property, Duration value, List<String> problems) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name(property) + ": must be positive, was " + value);
        }
    }

    private static void notNegative(String property, Duration value, List<String> problems) {
        if (value == null || value.isNegative()) {
            problems.add(name(property) + ": must not be negative, was " + value);
        }
    }

    private static String name(String property) {
        return EdgeProperties.PREFIX + "." + property;
    }
}
