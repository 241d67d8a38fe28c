package dev.qdrantedge.engine.vectors;

/**
 * A persisted bit set in Qdrant's bit order (bit {@code i} is bit {@code i % 8}, least significant first,
 * of byte {@code i / 8} after the header), read from a mapping. Bits at or beyond {@link #length()} read as
 * clear.
 */
final class FlagBits {

    private final MappedFile file;
    private final long dataOffset;
    private final long length;

    /**
     * @param file the mapped file; must hold {@code ceil(length / 8)} bytes after {@code dataOffset}
     * @param dataOffset where bit 0 lives
     * @param length number of meaningful bits
     */
    FlagBits(MappedFile file, long dataOffset, long length) {
        if (dataOffset + (length + 7) / 8 > file.size()) {
            throw new IllegalArgumentException(file.path() + " is too short for " + length + " flags");
        }
        this.file = file;
        this.dataOffset = dataOffset;
        this.length = length;
    }

    /** Number of meaningful bits. */
    long length() {
        return length;
    }

    /** Whether bit {@code index} is set; false at or beyond {@link #length()}. */
    boolean isSet(long index) {
        if (index < 0 || index >= length) {
            return false;
        }
        return (file.getByte(dataOffset + (index >>> 3)) & (1 << (index & 7))) != 0;
    }
}
