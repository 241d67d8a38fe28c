package dev.qdrantedge.engine.vectors;

/** Element type of stored dense vectors, by Qdrant's JSON names. */
public enum VectorDatatype {
    FLOAT32("float32", 4),
    FLOAT16("float16", 2),
    UINT8("uint8", 1);

    private final String jsonName;
    private final int bytes;

    VectorDatatype(String jsonName, int bytes) {
        this.jsonName = jsonName;
        this.bytes = bytes;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Bytes per stored element. */
    public int bytes() {
        return bytes;
    }

    public static VectorDatatype fromJson(String name) {
        for (VectorDatatype t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported vector datatype '" + name + "' (supported: float32, float16, uint8)");
    }
}
