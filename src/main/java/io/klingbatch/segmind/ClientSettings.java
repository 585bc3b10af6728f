package io.klingbatch.segmind;

import java.net.URI;
import java.time.Duration;

/**
 * How one run's client behaves. The API key is deliberately not here: records print all their fields.
 *
 * @param maxAttempts       tries per video for transient errors (429 waits do not count)
 * @param baseDelay         first backoff; doubles per attempt, jittered
 * @param maxDelay          cap of one backoff
 * @param connectTimeout    to open a connection
 * @param responseTimeout   longest silence while waiting for the answer; a generation takes about 2 minutes
 * @param maxConnections    pool size (one per worker is enough)
 * @param maxRateLimitWait  cap on one 429 wait, in case the reset header is far off or garbled
 * @param maxRateLimitWaits 429s for one video before it is marked FAILED
 */
public record ClientSettings(URI baseUrl, int maxAttempts, Duration baseDelay, Duration maxDelay, Duration connectTimeout,
                             Duration responseTimeout, int maxConnections, Duration maxRateLimitWait, int maxRateLimitWaits) {
}
