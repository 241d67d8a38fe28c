package dev.qdrantedge.engine.payload;

/**
 * The {@code payload_storage_type} of {@code segment.json}. Only the gridstore kinds can be read; the
 * RocksDB kinds of Qdrant 1.17 and older are recognised so they can be refused with a clear message.
 */
public enum PayloadStorageType {
    /** Gridstore read through memory maps ({@code "mmap"}). */
    MMAP("mmap", true),
    /** Gridstore whose pages Qdrant keeps in RAM ({@code "in_ram_mmap"}); the same files as {@link #MMAP}. */
    IN_RAM_MMAP("in_ram_mmap", true),
    /** Legacy RocksDB storage cached in RAM ({@code "in_memory"}). */
    IN_MEMORY("in_memory", false),
    /** Legacy RocksDB storage ({@code "on_disk"}). */
    ON_DISK("on_disk", false);

    private final String json;
    private final boolean gridstore;

    PayloadStorageType(String json, boolean gridstore) {
        this.json = json;
        this.gridstore = gridstore;
    }

    /** The name in {@code segment.json}. */
    public String json() {
        return json;
    }

    /** Whether the payloads live in a gridstore (readable), rather than in RocksDB. */
    public boolean gridstore() {
        return gridstore;
    }

    /** The type named {@code value}; {@link IllegalArgumentException} for an unknown name. */
    public static PayloadStorageType fromJson(String value) {
        for (PayloadStorageType type : values()) {
            if (type.json.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown payload storage type '" + value + "'");
    }
}
