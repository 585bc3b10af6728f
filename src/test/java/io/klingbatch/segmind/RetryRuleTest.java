package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryRuleTest {

    @Test
    void transientServerErrorIsRetried() {
        assertThat(RetryRule.shouldRetry(new RetryableException("HTTP 503", 503))).isTrue();
    }

    @Test
    void connectionFailureBeforeSendingIsRetried() {
        assertThat(RetryRule.shouldRetry(new RetryableException("connection refused", 0))).isTrue();
    }

    @Test
    void rateLimitIsRetried() {
        assertThat(RetryRule.shouldRetry(new RateLimitedException("HTTP 429", Instant.EPOCH))).isTrue();
    }

    @Test
    void uncertainIsNeverRetried() {
        assertThat(RetryRule.shouldRetry(new UncertainException("timeout after sending", 0))).isFalse();
    }

    @Test
    void creditsExhaustedIsNotRetried() {
        assertThat(RetryRule.shouldRetry(new CreditsExhaustedException("HTTP 406", 406))).isFalse();
    }

    @Test
    void refusedIsNotRetried() {
        assertThat(RetryRule.shouldRetry(new ApiRefusedException("HTTP 401", 401))).isFalse();
    }

    @Test
    void rowFailureIsNotRetried() {
        assertThat(RetryRule.shouldRetry(new RowFailedException("HTTP 400", 400))).isFalse();
    }
}
