package io.klingbatch.campaign;

/**
 * How fast a campaign may go, as its job file says; null means "not set here" (the command line or the default
 * decides).
 *
 * @param concurrency       generations in flight at once
 * @param requestsPerMinute requests started in any 60-second window, for the account's plan (free 5, Pro 50)
 */
public record Pace(Integer concurrency, Integer requestsPerMinute) {

    public static final Pace NONE = new Pace(null, null);
    public static final int DEFAULT_CONCURRENCY = 4;
}
