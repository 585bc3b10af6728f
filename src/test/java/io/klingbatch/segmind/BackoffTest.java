package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(1);

    @Test
    void lowestJitterIsHalfOfTheDoublingDelay() {
        Backoff backoff = new Backoff(BASE, MAX, () -> 0.0);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void highestJitterIsTheFullDoublingDelay() {
        Backoff backoff = new Backoff(BASE, MAX, () -> 1.0);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void jitterLiesBetweenHalfAndFull() {
        assertThat(new Backoff(BASE, MAX, () -> 0.5).delay(2)).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void delayIsCappedAtMax() {
        assertThat(new Backoff(BASE, MAX, () -> 1.0).delay(5)).isEqualTo(MAX);
        assertThat(new Backoff(BASE, MAX, () -> 1.0).delay(60)).isEqualTo(MAX);
        assertThat(new Backoff(BASE, MAX, () -> 0.0).delay(60)).isEqualTo(MAX.dividedBy(2));
    }

    @Test
    void defaultRandomStaysInRange() {
        Backoff backoff = new Backoff(BASE, MAX);

        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        }
    }
}
