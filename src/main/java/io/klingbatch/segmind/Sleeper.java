package io.klingbatch.segmind;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, injected so retry and rate-limit tests run without real sleeping. */
@FunctionalInterface
public interface Sleeper {

    /**
     * Real waiting, in slices, so a run that must stop (Ctrl-C during a ten-minute 429 wait, say) stops waiting within a
     * fraction of a second. Slices of a sleep rather than an interrupt: an interrupted thread's next file write would
     * close the H2 database under the run.
     */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public void sleep(Duration duration, BooleanSupplier wake) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            for (long left = duration.toMillis(); left > 0 && !wake.getAsBoolean(); left = (end - System.nanoTime()) / 1_000_000) {
                Thread.sleep(Math.min(left, 100));
            }
        }
    };

    void sleep(Duration duration) throws InterruptedException;

    /** Waits, but returns early once {@code wake} says so (test sleepers need not). */
    default void sleep(Duration duration, BooleanSupplier wake) throws InterruptedException {
        if (!wake.getAsBoolean()) {
            sleep(duration);
        }
    }
}
