package io.klingbatch.segmind;

import java.time.Instant;

/** HTTP 429: wait until the API's reset time (every worker, not only this one); not counted as an attempt. */
public class RateLimitedException extends SegmindException {

    private final Instant resetAt;

    public RateLimitedException(String message, Instant resetAt) {
        super(message, 429, null);
        this.resetAt = resetAt;
    }

    /** When the API says the limit resets, or null when it did not say (then back off). */
    public Instant resetAt() {
        return resetAt;
    }
}
