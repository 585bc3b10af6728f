package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;

/**
 * One run of a campaign: the campaign, and how this run treats it.
 *
 * @param simulated       against the built-in simulator; its results never count as real paid ones
 * @param resendUncertain send again the rows that may already have been charged (the user's explicit choice)
 */
public record CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain) {

    /** The ledger's name for this campaign: its output folder, whose files the ledger protects. */
    public String ledgerKey() {
        return campaign.output().toString();
    }
}
