package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.TestTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /**
     * Eight workers, released together, acquire 2000 times each on a clock that makes races likely: every waiter
     * wakes exactly when the next start is due (so they all compete for the same slot), and a clock reading waits
     * a moment for a second one so both workers act on it at once. Whatever the interleaving, the gate promises:
     * no start before a pause another worker set, starts at least 60/R seconds (plus 0.5%) apart, and exactly one
     * start per acquire (none lost, none doubled).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void workersAcquiringAtOnceAreSpacedAndHeldByAnotherWorkersPause() throws Exception {
        int workers = 8;
        int each = 2000;
        RaceClock race = new RaceClock(start);
        RateGate gate = new RateGate(race, race.sleeper(), 600);
        Duration interval = Duration.ofNanos(100_500_000); // 60 s / 600, plus 0.5%
        Thread refused = new Thread(() -> gate.pauseUntil(start.plusSeconds(30)));
        refused.start();
        refused.join();

        List<Instant> starts = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier together = new CyclicBarrier(workers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread worker = new Thread(() -> {
                try {
                    together.await();
                    for (int i = 0; i < each; i++) {
                        gate.acquire();
                        starts.add(race.lastRead()); // the reading the gate granted this start at
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "worker-" + w);
            threads.add(worker);
            worker.start();
        }
        for (Thread worker : threads) {
            worker.join();
        }

        assertThat(failures).isEmpty();
        List<Instant> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(workers * each).doesNotHaveDuplicates();
        assertThat(sorted.get(0)).isEqualTo(start.plusSeconds(30));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - 1), sorted.get(i)))
                    .as("start %d and start %d", i - 1, i)
                    .isGreaterThanOrEqualTo(interval);
        }
        // and no slot is wasted either: the clock only moves to the next due start, so starts are exactly one interval apart
        assertThat(sorted.get(sorted.size() - 1)).isEqualTo(start.plusSeconds(30).plus(interval.multipliedBy(workers * each - 1)));
    }

    /** A shared clock that moves only when a waiter wakes, to the instant it waited for, never backwards. */
    private static final class RaceClock extends Clock {

        private final AtomicReference<Instant> now;
        private final ThreadLocal<Instant> lastRead = new ThreadLocal<>();
        private final AtomicInteger reading = new AtomicInteger();

        RaceClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            Instant read = now.get();
            lastRead.set(read);
            // Wait a moment (20 µs at most) for another worker to read the clock too, then go on together: two
            // workers that got past the gate's lock at once would then act on the same reading at the same time.
            reading.incrementAndGet();
            long until = System.nanoTime() + 20_000;
            while (reading.get() < 2 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            reading.decrementAndGet();
            return read;
        }

        Instant lastRead() {
            return lastRead.get();
        }

        /** Sleeping {@code d} after reading {@code t} wakes at {@code t + d}: waiters for the same slot wake together. */
        Sleeper sleeper() {
            return duration -> {
                Instant until = lastRead.get().plus(duration);
                now.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
                Thread.yield();
            };
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
