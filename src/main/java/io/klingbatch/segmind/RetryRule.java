package io.klingbatch.segmind;

/**
 * The one rule for "may this call be sent again?". The API has no idempotency key, so the question is
 * always "could the last try have been billed?" Only HTTP 200 is billed.
 */
final class RetryRule {

    private RetryRule() {
    }

    static boolean shouldRetry(SegmindException error) {
        // 500/502/503/504 and connections that failed before the request left: nothing was billed.
        if (error instanceof RetryableException) {
            return true;
        }
        // 429: retried too, but after the API's reset time and without counting an attempt (see RateGate).
        if (error instanceof RateLimitedException) {
            return true;
        }
        // Timeout or reset after the request was sent: it may have been billed. Resending could pay twice.
        if (error instanceof UncertainException) {
            return false;
        }
        // 406 credits: every further call fails until a top-up; the run stops instead.
        if (error instanceof CreditsExhaustedException) {
            return false;
        }
        // 401/403/404/405/410: configuration; retrying cannot help.
        if (error instanceof ApiRefusedException) {
            return false;
        }
        // Any other 4xx (400, 413, 422...): the request itself is wrong; the same bytes fail the same way.
        return false;
    }
}
