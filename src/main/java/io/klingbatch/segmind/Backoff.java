package io.klingbatch.segmind;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Jittered exponential backoff: attempt n waits a random time between half and all of
 * {@code base * 2^(n-1)}, capped at {@code max}. The jitter keeps many workers that failed together from
 * retrying together.
 */
final class Backoff {

    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    Backoff(Duration base, Duration max) {
        this(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    Duration delay(int attempt) {
        double exponential = base.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(exponential, max.toMillis());
        return Duration.ofMillis((long) (capped / 2 + random.getAsDouble() * capped / 2));
    }
}
