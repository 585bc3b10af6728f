package io.klingbatch.generation;

import java.math.BigDecimal;

/** One line of {@code manifest.csv}: one CSV data row. Nullable fields are empty cells. */
public record ManifestLine(String id, int row, VideoStatus status, String file, Long bytes, String sha256, int attempts,
                           BigDecimal cost, BigDecimal remainingCredits, String requestId, String error) {
}
