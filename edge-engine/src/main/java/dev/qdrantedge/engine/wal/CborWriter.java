package dev.qdrantedge.engine.wal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A minimal CBOR writer producing the exact bytes Qdrant's serializer (serde_cbor 0.11) writes: the
 * shortest head for every integer and length, definite-length arrays and maps except where asked
 * otherwise, and every floating-point number in the shortest of half, single and double precision
 * that holds it exactly.
 */
final class CborWriter {

    private static final int UNSIGNED = 0;
    private static final int NEGATIVE = 1;
    private static final int BYTES = 2;
    private static final int TEXT = 3;
    private static final int ARRAY = 4;
    private static final int MAP = 5;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final Bytes out = new Bytes();

    /** An unsynchronized growable byte array (records are built by one thread). */
    private static final class Bytes {
        private byte[] buf = new byte[256];
        private int size;

        void write(int b) {
            if (size == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void write(byte[] bytes, int offset, int length) {
            if (size + length > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + length));
            }
            System.arraycopy(bytes, offset, buf, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A head: major type and unsigned argument (the argument is read as an unsigned 64-bit number). */
    private void head(int major, long argument) {
        int m = major << 5;
        if (argument >= 0 && argument < 24) {
            out.write(m | (int) argument);
        } else if (argument >= 0 && argument <= 0xFF) {
            out.write(m | 24);
            out.write((int) argument);
        } else if (argument >= 0 && argument <= 0xFFFF) {
            out.write(m | 25);
            writeBigEndian(argument, 2);
        } else if (argument >= 0 && argument <= 0xFFFFFFFFL) {
            out.write(m | 26);
            writeBigEndian(argument, 4);
        } else {
            out.write(m | 27);
            writeBigEndian(argument, 8);
        }
    }

    private void writeBigEndian(long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xFF);
        }
    }

    /** An unsigned integer; {@code value} is read as an unsigned 64-bit number. */
    CborWriter unsigned(long value) {
        head(UNSIGNED, value);
        return this;
    }

    /** A signed 64-bit integer. */
    CborWriter integer(long value) {
        if (value >= 0) {
            head(UNSIGNED, value);
        } else {
            head(NEGATIVE, -1 - value);
        }
        return this;
    }

    /** An integer in {@code [-2^64, 2^64)}. */
    CborWriter integer(BigInteger value) {
        if (value.signum() >= 0) {
            if (value.compareTo(TWO_64) >= 0) {
                throw new IllegalArgumentException("integer " + value + " does not fit in 64 bits");
            }
            head(UNSIGNED, value.longValue());
        } else {
            BigInteger n = value.negate().subtract(BigInteger.ONE);
            if (n.compareTo(TWO_64) >= 0) {
                throw new IllegalArgumentException("integer " + value + " does not fit in 64 bits");
            }
            head(NEGATIVE, n.longValue());
        }
        return this;
    }

    CborWriter text(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        head(TEXT, utf8.length);
        out.write(utf8, 0, utf8.length);
        return this;
    }

    CborWriter bytes(byte[] value) {
        head(BYTES, value.length);
        out.write(value, 0, value.length);
        return this;
    }

    CborWriter arrayHeader(int size) {
        head(ARRAY, size);
        return this;
    }

    CborWriter mapHeader(int size) {
        head(MAP, size);
        return this;
    }

    /** Starts a map of indefinite length; end it with {@link #end()}. */
    CborWriter indefiniteMap() {
        out.write(0xBF);
        return this;
    }

    /** The "break" that ends an indefinite-length item. */
    CborWriter end() {
        out.write(0xFF);
        return this;
    }

    CborWriter nil() {
        out.write(0xF6);
        return this;
    }

    CborWriter bool(boolean value) {
        out.write(value ? 0xF5 : 0xF4);
        return this;
    }

    /** A single-precision number, written as half precision when that is exact. */
    CborWriter float32(float value) {
        if (Float.isNaN(value)) {
            out.write(0xF9);
            writeBigEndian(0x7E00, 2);
            return this;
        }
        int half = halfBitsIfExact(value);
        if (half >= 0) {
            out.write(0xF9);
            writeBigEndian(half, 2);
        } else {
            out.write(0xFA);
            writeBigEndian(Float.floatToRawIntBits(value) & 0xFFFFFFFFL, 4);
        }
        return this;
    }

    /** A double-precision number, written as single or half precision when that is exact. */
    CborWriter float64(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || (double) (float) value == value) {
            return float32((float) value);
        }
        out.write(0xFB);
        writeBigEndian(Double.doubleToRawLongBits(value), 8);
        return this;
    }

    /**
     * The IEEE half-precision bits of {@code value} if it converts to half precision and back without
     * change (infinities included), else -1.
     */
    static int halfBitsIfExact(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        float magnitude = Math.abs(value);
        if (magnitude == 0f) {
            return sign;
        }
        if (Float.isInfinite(value)) {
            return sign | 0x7C00;
        }
        int exponent = Math.getExponent(magnitude);
        if (exponent >= -14 && exponent <= 15) {
            if ((bits & 0x1FFF) != 0) {
                return -1;
            }
            return sign | ((exponent + 15) << 10) | ((bits >>> 13) & 0x3FF);
        }
        if (exponent < -24 || exponent > 15) {
            return -1;
        }
        // half subnormal: a multiple of 2^-24 below 2^-14 (scaling by a power of two is exact here)
        float scaled = magnitude * 16777216f;
        if (scaled != (float) (int) scaled) {
            return -1;
        }
        return sign | (int) scaled;
    }
}
