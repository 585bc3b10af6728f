package io.klingbatch.ledger;

/** Another live run holds the campaign's lease: this one must not start (exit 5), from whichever machine. */
public class CampaignHeldException extends RuntimeException {

    public CampaignHeldException(String message) {
        super(message);
    }
}
