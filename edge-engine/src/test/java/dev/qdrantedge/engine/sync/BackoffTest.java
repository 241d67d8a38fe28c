package dev.qdrantedge.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsGeometricallyUpToTheCapWithoutJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0);
        SplittableRandom random = new SplittableRandom(1);
        assertThat(backoff.delayAfter(1, random)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delayAfter(2, random)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayAfter(4, random)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delayAfter(5, random)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(10_000, random)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterStaysWithinItsFractionAndVaries() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.25);
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long ms = backoff.delayAfter(1, random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(750);
        assertThat(max).isLessThanOrEqualTo(1250);
        assertThat(max - min).isGreaterThan(300);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), 0))
                .hasMessageContaining("initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0))
                .hasMessageContaining("max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.DEFAULT.delayAfter(0, new SplittableRandom()))
                .hasMessageContaining("failures");
    }
}
