package dev.qdrantedge.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of the embedded edge shard, under {@code qdrant.edge}. */
@ConfigurationProperties(prefix = "qdrant.edge")
public class EdgeProperties {

    /** Directory of the local shard. Created, with the configured vectors, when it holds no shard yet. */
    private Path path = Path.of("data", "edge-shard");

    /** Dense vectors of a shard created by the application, by name. */
    private Map<String, Vector> vectors = new LinkedHashMap<>();

    /**
     * When the WAL is forced to the storage device: PER_OPERATION (every write, nothing acknowledged is lost
     * even on power loss) or GROUPED (every fsync-interval; a machine failure may lose the writes of the last
     * interval). A crash of the process alone loses nothing acknowledged either way.
     */
    private Fsync fsync = Fsync.PER_OPERATION;

    /** Interval of grouped WAL syncs. */
    private Duration fsyncInterval = Duration.ofSeconds(1);

    /**
     * How often the segments are flushed and the WAL truncated in the background; bounds the WAL's size and
     * the start-up replay. Zero or negative: only on shutdown.
     */
    private Duration flushInterval = Duration.ofSeconds(5);

    /** WAL sync policies. */
    public enum Fsync {
        PER_OPERATION, GROUPED
    }

    public Fsync getFsync() {
        return fsync;
    }

    public void setFsync(Fsync fsync) {
        this.fsync = fsync;
    }

    public Duration getFsyncInterval() {
        return fsyncInterval;
    }

    public void setFsyncInterval(Duration fsyncInterval) {
        this.fsyncInterval = fsyncInterval;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public Path getPath() {
        return path;
    }

    public void setPath(Path path) {
        this.path = path;
    }

    public Map<String, Vector> getVectors() {
        return vectors;
    }

    public void setVectors(Map<String, Vector> vectors) {
        this.vectors = vectors;
    }

    /** One dense vector. */
    public static class Vector {

        /** Dimension of the vector. */
        private int size;

        /** Distance function: Cosine, Euclid, Dot or Manhattan. */
        private String distance = "Cosine";

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public String getDistance() {
            return distance;
        }

        public void setDistance(String distance) {
            this.distance = distance;
        }
    }
}
