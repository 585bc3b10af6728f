package io.klingbatch.segmind;

import java.math.BigDecimal;

/** What the API said a successful call cost: {@code x-cost}, {@code x-remaining-credits}, {@code x-request-id} (each may be null). */
public record Billing(BigDecimal cost, BigDecimal remainingCredits, String requestId) {
}
