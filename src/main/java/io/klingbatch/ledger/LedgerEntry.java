package io.klingbatch.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of the ledger: one video.
 *
 * @param filePath  where the video was first saved, absolute, on {@code host}; it may have been copied elsewhere since
 * @param campaign  the campaign that paid for it
 * @param holder    the process (lease client id) that claimed it, for telling a call in flight from one a dead run left
 */
public record LedgerEntry(VideoKey key, LedgerState state, int attempts, String duration, String mode, BigDecimal estimate,
                          BigDecimal cost, BigDecimal remainingCredits, String requestId, String statusUrl, String responseUrl,
                          Instant submittedAt, String error, String fileName, String filePath, String host, Long bytes,
                          String sha256, String campaign, String rowId, Long executionId, String holder, Instant createdAt,
                          Instant updatedAt) {

    /** What it cost, or what it is expected to have cost when the API did not say. */
    public BigDecimal costOrEstimate() {
        return cost != null ? cost : estimate != null ? estimate : BigDecimal.ZERO;
    }
}
