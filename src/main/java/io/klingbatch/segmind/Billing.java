package io.klingbatch.segmind;

import java.math.BigDecimal;

/**
 * What the API said a successful call cost: {@code x-cost}, {@code x-remaining-credits}, {@code x-request-id}, and how
 * long the generation took ({@code x-generation-time}; v2: {@code metrics.inference_time}), each may be null.
 */
public record Billing(BigDecimal cost, BigDecimal remainingCredits, String requestId, String generationTime) {

    public Billing(BigDecimal cost, BigDecimal remainingCredits, String requestId) {
        this(cost, remainingCredits, requestId, null);
    }
}
