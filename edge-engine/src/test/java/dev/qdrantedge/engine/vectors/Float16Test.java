package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Float16Test {

    @ParameterizedTest(name = "0x{0} -> {1}")
    @CsvSource({
        "0000, 0.0",
        "8000, -0.0",
        "0001, 5.9604645E-8",        // smallest subnormal, 2^-24
        "8001, -5.9604645E-8",
        "03FF, 6.097555E-5",         // largest subnormal, 1023 * 2^-24
        "0400, 6.1035156E-5",        // smallest normal, 2^-14
        "3C00, 1.0",
        "3C01, 1.0009766",           // 1 + 2^-10
        "C000, -2.0",
        "3555, 0.33325195",
        "7BFF, 65504.0",             // largest finite
        "FBFF, -65504.0",
        "7C00, Infinity",
        "FC00, -Infinity",
    })
    void convertsNamedValues(String hex, float expected) {
        float actual = Float16.toFloat((short) Integer.parseInt(hex, 16));
        assertThat(Float.floatToRawIntBits(actual)).isEqualTo(Float.floatToRawIntBits(expected));
    }

    @Test
    void everyNonNanHalfIsConvertedExactly() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            if (exponent == 0x1F) {
                continue;
            }
            double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            float actual = Float16.toFloat((short) bits);
            assertThat((double) actual).as("half 0x%04X", bits).isEqualTo(expected);
            assertThat(Math.copySign(1.0f, actual) < 0).as("sign of half 0x%04X", bits)
                    .isEqualTo((bits & 0x8000) != 0);
        }
    }

    @Test
    void nanKeepsItsPayloadAndBecomesQuiet() {
        float signalling = Float16.toFloat((short) 0x7C01);
        float quiet = Float16.toFloat((short) 0xFE00);
        assertThat(Float.isNaN(signalling)).isTrue();
        assertThat(Float.floatToRawIntBits(signalling)).isEqualTo(0x7FC0_2000);
        assertThat(Float.floatToRawIntBits(quiet)).isEqualTo(0xFFC0_0000);
    }
}
