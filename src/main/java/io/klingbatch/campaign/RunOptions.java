package io.klingbatch.campaign;

import java.math.BigDecimal;

/**
 * How a campaign runs, as its job file says; null means "not set here" (the command line or the default decides).
 *
 * @param concurrency       generations in flight at once
 * @param requestsPerMinute requests started in any 60-second window, for the account's plan (free 5, Pro 50)
 * @param api               {@code v1} (one blocking call) or {@code v2} (submit, then poll)
 * @param maxCredits        the campaign's budget: no call starts that could take its spend over this
 */
public record RunOptions(Integer concurrency, Integer requestsPerMinute, String api, BigDecimal maxCredits) {

    public static final RunOptions NONE = new RunOptions(null, null, null, null);
    public static final int DEFAULT_CONCURRENCY = 4;
}
