package io.klingbatch.generation;

import java.math.BigDecimal;

/**
 * A campaign's spending cap, shared by every worker of a run. A call reserves its estimated cost before it starts
 * and settles at its real {@code x-cost}; no call starts that could take spent plus in-flight past the limit.
 */
final class Budget {

    private final BigDecimal limit;
    private BigDecimal spent;
    private BigDecimal reserved = BigDecimal.ZERO;

    /** @param limit null for no cap; {@code spent} what the campaign's paid calls already cost */
    Budget(BigDecimal limit, BigDecimal spent) {
        this.limit = limit;
        this.spent = spent;
    }

    synchronized void reserve(BigDecimal estimate) {
        if (limit != null && spent.add(reserved).add(estimate).compareTo(limit) > 0) {
            throw new BudgetReachedException(limit, spent, reserved, estimate);
        }
        reserved = reserved.add(estimate);
    }

    /** The call was paid: {@code actual} is its x-cost, or null when the API did not say (the estimate stands). */
    synchronized void settle(BigDecimal estimate, BigDecimal actual) {
        reserved = reserved.subtract(estimate);
        spent = spent.add(actual != null ? actual : estimate);
    }

    /** The call cost nothing (refused, failed before billing). */
    synchronized void release(BigDecimal estimate) {
        reserved = reserved.subtract(estimate);
    }
}
