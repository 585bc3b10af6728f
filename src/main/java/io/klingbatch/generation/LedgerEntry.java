package io.klingbatch.generation;

import java.math.BigDecimal;
import java.time.Instant;

/** One line of the ledger. */
public record LedgerEntry(VideoKey key, LedgerState state, int attempts, String fileName, Long bytes, String sha256,
                          BigDecimal cost, BigDecimal remainingCredits, String requestId, String error, Instant updatedAt) {
}
