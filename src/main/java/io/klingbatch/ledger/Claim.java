package io.klingbatch.ledger;

import java.math.BigDecimal;

/**
 * Who sends a video, and for what, written with its SENT line.
 *
 * @param estimate    the price reserved for it (the budget's view until the API says better)
 * @param campaign    the campaign that pays
 * @param rowId       the row it is made for
 * @param executionId the job execution sending it
 * @param holder      this process's lease client id
 */
public record Claim(String duration, String mode, BigDecimal estimate, String campaign, String rowId, Long executionId, String holder) {
}
