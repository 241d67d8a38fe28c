package dev.qdrantedge.engine.vectors;

/** How a segment stores a dense vector, by the names in {@code segment.json}. */
public enum VectorStorageType {
    /** Legacy in-memory storage; appendable. */
    MEMORY("Memory", true),
    /** Single file {@code matrix.dat}, memory-mapped. */
    MMAP("Mmap", false),
    /** Chunked files, memory-mapped; appendable. */
    CHUNKED_MMAP("ChunkedMmap", true),
    /** Chunked files, loaded into RAM; appendable. */
    IN_RAM_CHUNKED_MMAP("InRamChunkedMmap", true),
    /** Single file {@code matrix.dat}, loaded into RAM. */
    IN_RAM_MMAP("InRamMmap", false),
    /** Placeholder for a vector added to an immutable segment: no files, no vectors. */
    EMPTY("Empty", false);

    private final String jsonName;
    private final boolean appendable;

    VectorStorageType(String jsonName, boolean appendable) {
        this.jsonName = jsonName;
        this.appendable = appendable;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Whether a segment with this storage (and a plain index) accepts writes. */
    public boolean appendable() {
        return appendable;
    }

    public static VectorStorageType fromJson(String name) {
        for (VectorStorageType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown vector storage type '" + name + "'");
    }
}
