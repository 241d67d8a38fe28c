package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Decodes Qdrant's compact persisted bitmask ("stored bitmask"), a whole-file format written once.
 *
 * <p>Layout, all little-endian: a 32-byte header {@code magic "QBMK", u32 version = 1, u64 logical_len,
 * u32 encoding, u32 reserved, u64 payload_len}, then {@code payload_len} bytes of payload. The encoding is
 * {@code 0} dense (raw bits in u64 words, least significant bit first, bits at or beyond
 * {@code logical_len} ignored), {@code 1} a roaring bitmap of the set positions, or {@code 2} a roaring
 * bitmap of the unset positions. Roaring payloads use the portable RoaringBitmap serialization shared by
 * the C, Java and Rust implementations.
 */
final class StoredBitmaskReader {

    static final int HEADER_SIZE = 32;
    static final int VERSION = 1;
    static final int ENCODING_DENSE = 0;
    static final int ENCODING_ROARING_ONES = 1;
    static final int ENCODING_ROARING_ZEROS = 2;
    private static final byte[] MAGIC = {'Q', 'B', 'M', 'K'};

    // Portable roaring serialization constants.
    private static final int COOKIE_NO_RUNS = 12346;
    private static final int COOKIE_WITH_RUNS = 12347;
    private static final int NO_OFFSET_THRESHOLD = 4;
    private static final int MAX_ARRAY_CARDINALITY = 4096;
    private static final int BITMAP_CONTAINER_BYTES = 8192;

    /** The decoded mask: {@code length} logical bits, of which {@code bits} are set. */
    record Bitmask(long length, BitSet bits) {
    }

    private StoredBitmaskReader() {
    }

    /** Decodes a whole file's bytes; every failure names {@code file}. */
    static Bitmask decode(Path file, ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int fileSize = in.remaining();
        if (fileSize < HEADER_SIZE) {
            throw new EdgeFormatException(file,
                    "truncated: " + fileSize + " bytes, shorter than the " + HEADER_SIZE + "-byte bitmask header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get() != MAGIC[i]) {
                throw new EdgeFormatException(file, "not a stored bitmask (bad magic at byte 0)");
            }
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new EdgeFormatException(file, "unsupported stored bitmask version "
                    + Integer.toUnsignedString(version) + " at byte 4 (supported: " + VERSION + ")");
        }
        long length = in.getLong();
        int encoding = in.getInt();
        in.getInt(); // reserved
        long payloadLength = in.getLong();
        if (length < 0 || length > (1L << 32)) {
            throw new EdgeFormatException(file,
                    "bitmask of " + Long.toUnsignedString(length) + " bits exceeds the u32 position space");
        }
        if (length > Integer.MAX_VALUE) {
            throw new EdgeFormatException(file, "bitmask of " + length + " bits is too large to load");
        }
        if (payloadLength != fileSize - HEADER_SIZE) {
            throw new EdgeFormatException(file, "header gives a payload of " + Long.toUnsignedString(payloadLength)
                    + " bytes, the file holds " + (fileSize - HEADER_SIZE) + " bytes after the header");
        }
        int bitCount = (int) length;
        ByteBuffer payload = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (encoding) {
            case ENCODING_DENSE: {
                long needed = (length + 7) / 8;
                if (payloadLength < needed) {
                    throw new EdgeFormatException(file, "dense payload of " + payloadLength
                            + " bytes is too short for " + length + " bits");
                }
                BitSet bits = BitSet.valueOf(payload);
                if (bits.length() > bitCount) {
                    bits.clear(bitCount, bits.length()); // padding up to the last word
                }
                return new Bitmask(length, bits);
            }
            case ENCODING_ROARING_ONES:
                return new Bitmask(length, decodeRoaring(file, payload, length));
            case ENCODING_ROARING_ZEROS: {
                BitSet bits = decodeRoaring(file, payload, length);
                bits.flip(0, bitCount);
                return new Bitmask(length, bits);
            }
            default:
                throw new EdgeFormatException(file,
                        "unknown stored bitmask encoding " + Integer.toUnsignedString(encoding) + " at byte 16");
        }
    }

    /**
     * Decodes a portable roaring bitmap that must fill {@code payload} exactly and hold only positions below
     * {@code length}. Byte offsets in messages count from the start of the file.
     */
    private static BitSet decodeRoaring(Path file, ByteBuffer payload, long length) {
        BitSet bits = new BitSet();
        try {
            int cookie = payload.getInt();
            int containers;
            boolean hasRuns;
            byte[] runFlags = new byte[0];
            if ((cookie & 0xFFFF) == COOKIE_WITH_RUNS) {
                hasRuns = true;
                containers = (cookie >>> 16) + 1;
                runFlags = new byte[(containers + 7) / 8];
                payload.get(runFlags);
            } else if (cookie == COOKIE_NO_RUNS) {
                hasRuns = false;
                containers = payload.getInt();
                if (containers < 0 || containers > 65536) {
                    throw roaringError(file, payload, "container count " + Integer.toUnsignedString(containers));
                }
            } else {
                throw new EdgeFormatException(file, "unknown roaring cookie " + Integer.toUnsignedString(cookie)
                        + " at byte " + HEADER_SIZE);
            }
            int[] keys = new int[containers];
            int[] cardinalities = new int[containers];
            for (int i = 0; i < containers; i++) {
                keys[i] = Short.toUnsignedInt(payload.getShort());
                cardinalities[i] = Short.toUnsignedInt(payload.getShort()) + 1;
                if (i > 0 && keys[i] <= keys[i - 1]) {
                    throw roaringError(file, payload, "container keys not strictly ascending");
                }
                if (((long) keys[i] << 16) >= length) {
                    throw roaringError(file, payload, "container key " + keys[i] + " lies beyond " + length + " bits");
                }
            }
            int[] offsets = null;
            if (!hasRuns || containers >= NO_OFFSET_THRESHOLD) {
                offsets = new int[containers];
                for (int i = 0; i < containers; i++) {
                    offsets[i] = payload.getInt();
                }
            }
            for (int i = 0; i < containers; i++) {
                if (offsets != null && offsets[i] != payload.position()) {
                    throw roaringError(file, payload, "container " + i + " offset header says "
                            + Integer.toUnsignedString(offsets[i]) + ", container starts at payload byte "
                            + payload.position());
                }
                int base = keys[i] << 16;
                boolean run = hasRuns && (runFlags[i / 8] & (1 << (i % 8))) != 0;
                int decoded;
                if (run) {
                    decoded = readRunContainer(file, payload, bits, base);
                } else if (cardinalities[i] > MAX_ARRAY_CARDINALITY) {
                    decoded = readBitmapContainer(payload, bits, base);
                } else {
                    decoded = readArrayContainer(file, payload, bits, base, cardinalities[i]);
                }
                if (decoded != cardinalities[i]) {
                    throw roaringError(file, payload, "container " + i + " holds " + decoded
                            + " values, its header says " + cardinalities[i]);
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new EdgeFormatException(file, "roaring payload truncated", e);
        }
        if (payload.hasRemaining()) {
            throw new EdgeFormatException(file, payload.remaining() + " unused bytes after the roaring bitmap at byte "
                    + (HEADER_SIZE + payload.position()));
        }
        long highest = bits.length() - 1L;
        if (highest >= length) {
            throw new EdgeFormatException(file, "roaring position " + highest + " out of " + length + " bits");
        }
        return bits;
    }

    private static int readRunContainer(Path file, ByteBuffer payload, BitSet bits, int base) {
        int runs = Short.toUnsignedInt(payload.getShort());
        int decoded = 0;
        int nextFree = 0;
        for (int r = 0; r < runs; r++) {
            int start = Short.toUnsignedInt(payload.getShort());
            int lengthMinusOne = Short.toUnsignedInt(payload.getShort());
            int end = start + lengthMinusOne; // inclusive
            if (start < nextFree || end > 0xFFFF) {
                throw roaringError(file, payload, "run " + r + " overlaps the previous one or leaves its container");
            }
            bits.set(base + start, base + end + 1);
            decoded += lengthMinusOne + 1;
            nextFree = end + 1;
        }
        return decoded;
    }

    private static int readBitmapContainer(ByteBuffer payload, BitSet bits, int base) {
        long[] words = new long[BITMAP_CONTAINER_BYTES / Long.BYTES];
        payload.asLongBuffer().get(words);
        payload.position(payload.position() + BITMAP_CONTAINER_BYTES);
        BitSet container = BitSet.valueOf(words);
        for (int v = container.nextSetBit(0); v >= 0; v = container.nextSetBit(v + 1)) {
            bits.set(base + v);
        }
        return container.cardinality();
    }

    private static int readArrayContainer(Path file, ByteBuffer payload, BitSet bits, int base, int cardinality) {
        int previous = -1;
        for (int k = 0; k < cardinality; k++) {
            int value = Short.toUnsignedInt(payload.getShort());
            if (value <= previous) {
                throw roaringError(file, payload, "array container values not strictly ascending");
            }
            bits.set(base + value);
            previous = value;
        }
        return cardinality;
    }

    private static EdgeFormatException roaringError(Path file, ByteBuffer payload, String problem) {
        return new EdgeFormatException(file,
                "corrupt roaring bitmap near byte " + (HEADER_SIZE + payload.position()) + ": " + problem);
    }
}
