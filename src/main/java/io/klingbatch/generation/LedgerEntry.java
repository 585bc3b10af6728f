package io.klingbatch.generation;

import java.math.BigDecimal;
import java.time.Instant;

/** One line of the ledger. {@code statusUrl}, {@code responseUrl} and {@code submittedAt} are set for v2 requests. */
public record LedgerEntry(VideoKey key, LedgerState state, int attempts, String fileName, Long bytes, String sha256,
                          BigDecimal cost, BigDecimal remainingCredits, String requestId, String error, Instant updatedAt,
                          String statusUrl, String responseUrl, Instant submittedAt, String duration) {
}
