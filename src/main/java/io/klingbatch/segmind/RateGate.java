package io.klingbatch.segmind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one door every request goes through, shared by all workers of a run.
 *
 * <p>It does two things: after a 429 it holds <em>every</em> worker until the API's reset time (not only the
 * one that was refused), and, when a requests-per-minute limit is set, it lets at most that many requests
 * start in any 60-second window (a sliding log of start times, so the limit holds for every window, not
 * only for calendar minutes).
 */
public final class RateGate {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final int requestsPerMinute;
    private final Deque<Instant> starts = new ArrayDeque<>();
    private Instant pausedUntil = Instant.MIN;

    /** @param requestsPerMinute 0 for no limit of our own */
    public RateGate(Clock clock, Sleeper sleeper, int requestsPerMinute) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.requestsPerMinute = requestsPerMinute;
    }

    /** Blocks until a request may start, and counts it as started. */
    public void acquire() throws InterruptedException {
        while (true) {
            Duration wait = tryAcquire();
            if (wait == null) {
                return;
            }
            sleeper.sleep(wait);
        }
    }

    private synchronized Duration tryAcquire() {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        if (requestsPerMinute <= 0) {
            return null;
        }
        while (!starts.isEmpty() && !starts.peekFirst().plus(WINDOW).isAfter(now)) {
            starts.removeFirst();
        }
        if (starts.size() < requestsPerMinute) {
            starts.addLast(now);
            return null;
        }
        return Duration.between(now, starts.peekFirst().plus(WINDOW));
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
