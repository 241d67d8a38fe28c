package dev.qdrantedge.engine.vectors;

/**
 * IEEE 754 binary16 ("half precision") to {@code float}. Every half value is exactly representable as a
 * float, so the conversion is exact; NaNs keep their payload and come out quiet, as on the hardware and in
 * the software conversions Qdrant uses.
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
}
