package io.klingbatch.ledger;

import java.math.BigDecimal;

/**
 * What a campaign has spent on one API, by how sure it is.
 *
 * @param paid          paid videos and submitted requests (billed on submit), at their real cost where the API said it
 * @param paidCount     how many
 * @param estimated     how many of them are counted at their estimate because the API did not say what they cost
 * @param possibly      calls that may have been charged without a result (UNCERTAIN, or in flight when a run died), at
 *                      their estimate
 * @param possiblyCount how many
 */
public record Spend(BigDecimal paid, int paidCount, int estimated, BigDecimal possibly, int possiblyCount) {

    public static final Spend NONE = new Spend(BigDecimal.ZERO, 0, 0, BigDecimal.ZERO, 0);

    /** Everything a budget must count: what was paid and what may have been. */
    public BigDecimal atMost() {
        return paid.add(possibly);
    }

    Spend plus(LedgerState state, int count, BigDecimal total, int withoutCost) {
        return switch (state) {
            case PAID, SUBMITTED -> new Spend(paid.add(total), paidCount + count, estimated + withoutCost, possibly, possiblyCount);
            case SENT, UNCERTAIN -> new Spend(paid, paidCount, estimated, possibly.add(total), possiblyCount + count);
            case ORDERED, FAILED -> this;
        };
    }
}
