package dev.qdrantedge.engine.vectors;

/**
 * IEEE 754 binary16 ("half precision") to {@code float}, and {@code float} to the nearest half
 * ({@link #fromFloat}). Every half value is exactly representable as a float, so {@link #toFloat} is
 * exact; NaNs keep their payload and come out quiet, as on the hardware and in the software conversions
 * Qdrant uses.
 */
public final class Float16 {

    private static final int SIGN_MASK = 0x8000;
    private static final int EXPONENT_MASK = 0x7C00;
    private static final int MANTISSA_MASK = 0x03FF;
    /** float exponent bias (127) minus half exponent bias (15). */
    private static final int BIAS_DIFFERENCE = 112;
    /** Mantissa bits a float has beyond a half's: 23 - 10. */
    private static final int MANTISSA_SHIFT = 13;
    private static final int FLOAT_QUIET_NAN_BIT = 0x0040_0000;
    private static final int FLOAT_EXPONENT_ALL_ONES = 0x7F80_0000;
    private static final int HALF_QUIET_NAN_BIT = 0x0200;

    private Float16() {
    }

    /** The float equal to the half whose bits are the low 16 bits of {@code bits}. */
    public static float toFloat(short bits) {
        int half = bits & 0xFFFF;
        int sign = (half & SIGN_MASK) << 16;
        int exponent = (half & EXPONENT_MASK) >>> 10;
        int mantissa = half & MANTISSA_MASK;
        if (exponent == 0x1F) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign | FLOAT_EXPONENT_ALL_ONES);
            }
            return Float.intBitsToFloat(sign | FLOAT_EXPONENT_ALL_ONES | FLOAT_QUIET_NAN_BIT
                    | (mantissa << MANTISSA_SHIFT));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float (a 10-bit integer times a power of two)
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + BIAS_DIFFERENCE) << 23) | (mantissa << MANTISSA_SHIFT));
    }

    /**
     * The half nearest to {@code value}, ties to even, as its 16 bits: values beyond the largest half
     * (65504) round to infinity once they reach 65520, values below the smallest subnormal (2^-24) round
     * to a signed zero once they are at most 2^-25, infinities stay infinities, and NaNs stay NaNs, made
     * quiet and keeping the top 10 bits of their payload. This is IEEE 754 {@code convertFormat} in the
     * default rounding mode, the conversion Qdrant applies when it stores vectors as float16.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & SIGN_MASK;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x007F_FFFF;
        if (exponent == 0xFF) {
            int nan = mantissa == 0 ? 0 : HALF_QUIET_NAN_BIT | (mantissa >>> MANTISSA_SHIFT);
            return (short) (sign | EXPONENT_MASK | nan);
        }
        int halfExponent = exponent - BIAS_DIFFERENCE;
        if (halfExponent >= 0x1F) {
            return (short) (sign | EXPONENT_MASK);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                // at most 2^-25 (half the smallest subnormal): rounds to zero, ties to the even zero
                return (short) sign;
            }
            // subnormal result: the significand with its implicit bit, in units of 2^-24
            int significand = mantissa | 0x0080_0000;
            int shift = 126 - exponent;
            return (short) (sign | roundShiftRightEven(significand, shift));
        }
        // normal result; a carry out of the mantissa correctly bumps the exponent (up to infinity)
        int rounded = roundShiftRightEven(mantissa, MANTISSA_SHIFT);
        return (short) (sign | ((halfExponent << 10) + rounded));
    }

    /** {@code value / 2^shift} rounded to the nearest integer, ties to even; {@code 1 <= shift <= 30}. */
    private static int roundShiftRightEven(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
