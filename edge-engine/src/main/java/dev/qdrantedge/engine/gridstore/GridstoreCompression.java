package dev.qdrantedge.engine.gridstore;

/** How a gridstore compresses its values, as named in its {@code config.json}. */
public enum GridstoreCompression {
    /** Values are stored as given (sparse vectors, field indexes). */
    NONE("None"),
    /** Values are one LZ4 block behind a little-endian u32 holding the decompressed size (payloads). */
    LZ4("LZ4");

    private final String json;

    GridstoreCompression(String json) {
        this.json = json;
    }

    /** The name written in {@code config.json}. */
    public String json() {
        return json;
    }

    /** The compression named {@code value} in {@code config.json}. */
    static GridstoreCompression fromJson(String value) {
        for (GridstoreCompression c : values()) {
            if (c.json.equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("compression: unknown value '" + value + "' (expected \"LZ4\" or \"None\")");
    }
}
