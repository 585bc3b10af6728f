package io.klingbatch.segmind;

import java.time.Duration;

/** Waiting, injected so retry and rate-limit tests run without real sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
