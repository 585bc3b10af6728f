package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.klingbatch.TestTime;
import org.junit.jupiter.api.Test;

class RateGateTest {

    private final TestTime clock = new TestTime();
    private final Instant start = clock.instant();
    private final Sleeper sleeper = clock.sleeper();

    @Test
    void withoutLimitNeverSleeps() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 0);

        for (int i = 0; i < 100; i++) {
            gate.acquire();
        }

        assertThat(clock.sleeps()).isEmpty();
        assertThat(clock.instant()).isEqualTo(start);
    }

    @Test
    void pauseHoldsAcquireExactlyUntilThen() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 0);
        gate.pauseUntil(start.plusSeconds(42));

        gate.acquire();

        assertThat(clock.instant()).isEqualTo(start.plusSeconds(42));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void pauseInThePastDoesNotWait() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 0);
        gate.pauseUntil(start.minusSeconds(5));

        gate.acquire();

        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void laterPauseWins() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 0);
        gate.pauseUntil(start.plusSeconds(10));
        gate.pauseUntil(start.plusSeconds(30));

        gate.acquire();

        assertThat(clock.instant()).isEqualTo(start.plusSeconds(30));
    }

    @Test
    void earlierPauseDoesNotShortenTheWait() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 0);
        gate.pauseUntil(start.plusSeconds(30));
        gate.pauseUntil(start.plusSeconds(10));

        gate.acquire();

        assertThat(clock.instant()).isEqualTo(start.plusSeconds(30));
    }

    @Test
    void threePerMinuteSpacesStartsTwentySecondsApartPlusHalfAPercent() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 3);

        gate.acquire();
        gate.acquire();
        clock.advance(Duration.ofSeconds(30));
        gate.acquire();

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(20_100));
        assertThat(clock.instant()).isEqualTo(start.plusMillis(50_100));
    }

    @Test
    void neverMoreThanThreeStartsInAnySixtySecondWindow() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 3);
        List<Instant> starts = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            gate.acquire();
            starts.add(clock.instant());
            clock.advance(Duration.ofSeconds(7));
        }

        for (int i = 3; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 3), starts.get(i)))
                    .as("start %d and start %d", i - 3, i)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
        // and it is not much slower than it must be: every fourth start is a minute (plus 0.5%) after the one three before
        assertThat(Duration.between(starts.get(0), starts.get(3))).isEqualTo(Duration.ofMillis(60_300));
    }

    @Test
    void pauseAlsoHoldsARateLimitedGate() throws InterruptedException {
        RateGate gate = new RateGate(clock, sleeper, 3);
        gate.pauseUntil(start.plusSeconds(5));

        gate.acquire();

        assertThat(clock.instant()).isEqualTo(start.plusSeconds(5));
    }

    @Test
    void aPauseSetByOneWorkerHoldsAnother() throws Exception {
        RateGate gate = new RateGate(clock, sleeper, 0);
        Thread refused = new Thread(() -> gate.pauseUntil(start.plusSeconds(30)));
        refused.start();
        refused.join();

        Thread other = new Thread(() -> {
            try {
                gate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        other.join();

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(30));
    }
}
