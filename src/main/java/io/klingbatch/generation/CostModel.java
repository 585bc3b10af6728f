package io.klingbatch.generation;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What a video will cost before it is made: the average {@code x-cost} of earlier real calls of the same duration,
 * else the per-duration settings. Used for the balance check, the budget and {@code validate}'s estimate.
 */
@Component
public class CostModel {

    private final CostProperties properties;
    private final Ledger ledger;
    private final Map<String, BigDecimal> learned = new ConcurrentHashMap<>();

    CostModel(CostProperties properties, Ledger ledger) {
        this.properties = properties;
        this.ledger = ledger;
    }

    public BigDecimal estimate(String duration) {
        return learned.computeIfAbsent(duration, d -> {
            BigDecimal average = ledger.averageCost(d);
            return average != null ? average : "5".equals(d) ? properties.fiveSeconds() : properties.tenSeconds();
        });
    }
}
