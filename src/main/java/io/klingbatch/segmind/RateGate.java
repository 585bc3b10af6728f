package io.klingbatch.segmind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The one door every request goes through, shared by all workers of a run.
 *
 * <p>It does two things: after a 429 it holds <em>every</em> worker until the API's reset time (not only the
 * one that was refused), and, when a requests-per-minute limit R is set, it spaces request starts evenly,
 * 60/R seconds apart, plus 0.5%. Even spacing keeps every 60-second window, sliding or calendar, at R or fewer
 * starts, and sends no bursts that a token-bucket limiter on the other side could refuse; the 0.5% absorbs the
 * network's jitter, so the API never sees R + 1 requests in a window either.
 */
public final class RateGate {

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;
    private Instant nextStart = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;

    /** @param requestsPerMinute 0 for no limit of our own */
    public RateGate(Clock clock, Sleeper sleeper, int requestsPerMinute) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.interval = requestsPerMinute > 0
                ? Duration.ofMinutes(1).multipliedBy(1005).dividedBy(1000L * requestsPerMinute) : Duration.ZERO;
    }

    /** Blocks until a request may start, and counts it as started. */
    public void acquire() throws InterruptedException {
        acquire(() -> false);
    }

    /**
     * Blocks until a request may start and counts it as started (true), or until {@code stop} says the caller must not
     * start one after all (false): a run that is stopping does not wait out a 429's pause.
     */
    public boolean acquire(java.util.function.BooleanSupplier stop) throws InterruptedException {
        while (true) {
            if (stop.getAsBoolean()) {
                return false;
            }
            Duration wait = tryAcquire();
            if (wait == null) {
                return true;
            }
            sleeper.sleep(wait, stop);
        }
    }

    private synchronized Duration tryAcquire() {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        if (now.isBefore(nextStart)) {
            return Duration.between(now, nextStart);
        }
        nextStart = now.plus(interval);
        return null;
    }

    /** Holds every worker until {@code until} (a later pause wins over an earlier one). */
    public synchronized void pauseUntil(Instant until) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    Clock clock() {
        return clock;
    }
}
