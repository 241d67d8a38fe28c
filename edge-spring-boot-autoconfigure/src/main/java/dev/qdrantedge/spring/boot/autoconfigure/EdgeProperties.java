package dev.qdrantedge.spring.boot.autoconfigure;

import java.nio.file.Path;
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
