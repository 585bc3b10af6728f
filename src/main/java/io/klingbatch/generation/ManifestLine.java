package io.klingbatch.generation;

import java.math.BigDecimal;

/**
 * One line of {@code manifest.csv}: one CSV data row. Nullable fields are empty cells.
 *
 * @param duration the row's duration ({@code 5} or {@code 10}) for cost estimates; null for a rejected row; not a column
 * @param toSend   whether a run would still pay for this row (PENDING or FAILED, and not already submitted); not a column
 */
public record ManifestLine(String id, int row, VideoStatus status, String file, Long bytes, String sha256, int attempts,
                           BigDecimal cost, BigDecimal remainingCredits, String requestId, String error, String duration, boolean toSend) {
}
