package io.klingbatch.job;

/** Another process is running this campaign right now; starting it again would race it for the same rows. */
public class CampaignAlreadyRunningException extends RuntimeException {

    public CampaignAlreadyRunningException(String message) {
        super(message);
    }
}
