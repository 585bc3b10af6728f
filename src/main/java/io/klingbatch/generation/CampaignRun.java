package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;
import java.math.BigDecimal;
import io.klingbatch.campaign.RunOptions;

/**
 * One run of a campaign: the campaign, and how this run treats it.
 *
 * @param simulated         against the built-in simulator; its results never count as real paid ones
 * @param resendUncertain   send again the rows that may already have been charged (the user's explicit choice)
 * @param concurrency       generations in flight at once
 * @param requestsPerMinute most requests started in any 60 s window, shared by all workers; 0 for no limit
 * @param api               v1 (blocking call) or v2 (submit, then poll)
 * @param maxCredits        the campaign's budget, or null for none
 */
public record CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute,
                          Api api, BigDecimal maxCredits) {

    /** A v1 run without a budget (tests and the benchmark). */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute) {
        this(campaign, simulated, resendUncertain, concurrency, requestsPerMinute, Api.V1, null);
    }

    /** A run at the campaign's own settings (its job file's, else the defaults). */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain) {
        this(campaign, simulated, resendUncertain, Overrides.NONE);
    }

    /** A run whose command-line options (null when not given) win over the job file's. */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, Overrides options) {
        this(campaign, simulated, resendUncertain,
                first(options.concurrency(), campaign.options().concurrency(), RunOptions.DEFAULT_CONCURRENCY),
                first(options.requestsPerMinute(), campaign.options().requestsPerMinute(), 0),
                options.api() != null ? options.api() : Api.parse(campaign.options().api()) != null ? Api.parse(campaign.options().api()) : Api.V1,
                options.maxCredits() != null ? options.maxCredits() : campaign.options().maxCredits());
    }

    /** The command line's say over the job file; each may be null. */
    public record Overrides(Integer concurrency, Integer requestsPerMinute, Api api, BigDecimal maxCredits) {
        public static final Overrides NONE = new Overrides(null, null, null, null);
    }

    private static int first(Integer option, Integer jobFile, int fallback) {
        return option != null ? option : jobFile != null ? jobFile : fallback;
    }

    /** The ledger's name for this campaign: its output folder, whose files the ledger protects. */
    public String ledgerKey() {
        return campaign.output().toString();
    }
}
