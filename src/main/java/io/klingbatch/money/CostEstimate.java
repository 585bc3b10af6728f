package io.klingbatch.money;

import java.math.BigDecimal;

/**
 * What a campaign's remaining rows are expected to cost.
 *
 * @param rows    videos a run would still pay for (a row makes one per format and take)
 * @param total   their estimated cost
 * @param covered how many of them, in CSV order, the balance covers
 */
public record CostEstimate(int rows, BigDecimal total, int covered) {
}
