package io.klingbatch.output;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code <name>.json} beside a video says: enough to audit or reproduce it without the job repository.
 *
 * @param request          the exact request body sent, a local image replaced by {@code sha256:<hex>} of its bytes
 * @param generationSeconds how long the API took to make it, when it said
 * @param madeFor          the campaign that paid for it (another one when this row got a copy)
 */
public record VideoMetadata(String campaign, int row, String id, String format, int take, Map<String, Object> request, String requestId,
                            BigDecimal cost, BigDecimal remainingCredits, String generationSeconds, String sha256, long bytes,
                            Instant madeAt, String madeFor) {
}
