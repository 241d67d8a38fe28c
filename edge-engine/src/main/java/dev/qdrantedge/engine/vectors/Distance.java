package dev.qdrantedge.engine.vectors;

import java.util.Locale;

/** Qdrant's distance functions, by their JSON names. */
public enum Distance {
    COSINE("Cosine"),
    EUCLID("Euclid"),
    DOT("Dot"),
    MANHATTAN("Manhattan");

    private final String jsonName;

    Distance(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name Qdrant writes in JSON. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Whether a smaller reported score is better: Euclid and Manhattan scores are reported as distances,
     * the others as similarities.
     */
    public boolean smallerIsBetter() {
        return this == EUCLID || this == MANHATTAN;
    }

    /** Parses a JSON name, case-insensitively as Qdrant's REST API does. */
    public static Distance fromJson(String name) {
        for (Distance d : values()) {
            if (d.jsonName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distance '" + name + "' (expected Cosine, Euclid, Dot or Manhattan)");
    }
}
