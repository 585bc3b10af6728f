package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.Pace;

/**
 * One run of a campaign: the campaign, and how this run treats it.
 *
 * @param simulated       against the built-in simulator; its results never count as real paid ones
 * @param resendUncertain send again the rows that may already have been charged (the user's explicit choice)
 * @param concurrency       generations in flight at once
 * @param requestsPerMinute most requests started in any 60 s window, shared by all workers; 0 for no limit
 */
public record CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute) {

    /** A run at the campaign's own pace (its job file's, else the defaults). */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain) {
        this(campaign, simulated, resendUncertain, null, null);
    }

    /** A run whose command-line options (null when not given) win over the job file's pace. */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, Integer concurrency, Integer requestsPerMinute) {
        this(campaign, simulated, resendUncertain,
                first(concurrency, campaign.pace().concurrency(), Pace.DEFAULT_CONCURRENCY),
                first(requestsPerMinute, campaign.pace().requestsPerMinute(), 0));
    }

    private static int first(Integer option, Integer jobFile, int fallback) {
        return option != null ? option : jobFile != null ? jobFile : fallback;
    }

    /** The ledger's name for this campaign: its output folder, whose files the ledger protects. */
    public String ledgerKey() {
        return campaign.output().toString();
    }
}
