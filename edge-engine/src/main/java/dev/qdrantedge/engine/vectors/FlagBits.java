package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.io.MappedFile;

/**
 * A persisted bit set in Qdrant's bit order (bit {@code i} is bit {@code i % 8}, least significant first,
 * of byte {@code i / 8} after the header), read from a mapping. Bits at or beyond {@link #length()} read as
 * clear.
 */
public final class FlagBits {

    /** No flags at all. */
    static final FlagBits NONE = new FlagBits(null, 0, 0);

    private final MappedFile file;
    private final long dataOffset;
    private final long length;

    /**
     * @param file the mapped file; must hold {@code ceil(length / 8)} bytes after {@code dataOffset} (may be
     *     {@code null} only when {@code length} is 0)
     * @param dataOffset where bit 0 lives
     * @param length number of meaningful bits
     */
    FlagBits(MappedFile file, long dataOffset, long length) {
        if (length > 0 && dataOffset + (length + 7) / 8 > file.size()) {
            throw new IllegalArgumentException(file.path() + " is too short for " + length + " flags");
        }
        this.file = file;
        this.dataOffset = dataOffset;
        this.length = length;
    }

    /** Number of meaningful bits. */
    public long length() {
        return length;
    }

    /** Whether bit {@code index} is set; false when negative or at or beyond {@link #length()}. */
    public boolean isSet(long index) {
        if (index < 0 || index >= length) {
            return false;
        }
        return (file.getByte(dataOffset + (index >>> 3)) & (1 << (index & 7))) != 0;
    }

    /** One past the highest set bit, 0 when none is set; scans the bit set from its end. */
    public long lastSetPlusOne() {
        for (long byteIndex = (length + 7) / 8 - 1; byteIndex >= 0; byteIndex--) {
            int b = file.getByte(dataOffset + byteIndex) & 0xFF;
            if (b == 0) {
                continue;
            }
            for (int bit = 7; bit >= 0; bit--) {
                long index = byteIndex * 8 + bit;
                if (index < length && (b & (1 << bit)) != 0) {
                    return index + 1;
                }
            }
        }
        return 0;
    }
}
