package io.klingbatch.money;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A campaign's spending cap, shared by every worker of a run. A call reserves its expected price before it is sent
 * and settles at its real cost, so calls in flight count; what earlier runs paid, submitted or may have been charged
 * for counts from the start. While the price of a kind of video is unknown, only one call of that kind is in flight
 * (the others wait for it to say the price), so a wrong guess can pass the budget by at most that one call; once the
 * price is known, the budget is never passed.
 */
public final class Budget {

    private final BigDecimal limit;
    private final PriceBook prices;
    private final Set<PriceBook.Kind> probing = new HashSet<>();
    private BigDecimal spent;
    private BigDecimal reserved = BigDecimal.ZERO;

    /**
     * @param limit       null for no cap
     * @param alreadySpent what the campaign paid, submitted or may have been charged for before this run
     */
    public Budget(BigDecimal limit, BigDecimal alreadySpent, PriceBook prices) {
        this.limit = limit;
        this.spent = alreadySpent;
        this.prices = prices;
    }

    /** One call's reserved price. */
    public static final class Reservation {
        final PriceBook.Kind kind;
        final BigDecimal amount;
        final boolean probe;
        private boolean open = true;

        Reservation(PriceBook.Kind kind, BigDecimal amount, boolean probe) {
            this.kind = kind;
            this.amount = amount;
            this.probe = probe;
        }

        public BigDecimal amount() {
            return amount;
        }

        /** The first call of a kind whose price is unknown: its cost teaches the price. */
        public boolean probe() {
            return probe;
        }
    }

    /**
     * Reserves a video's price before it is sent. Waits while a call of the same unknown-price kind is in flight.
     *
     * @param stopped checked while waiting: the run must stop, so stop waiting (and reserve nothing: empty)
     * @throws BudgetReachedException the call could take the spend over the limit
     */
    public synchronized java.util.Optional<Reservation> reserve(PriceBook.Kind kind, BooleanSupplier stopped) throws InterruptedException {
        while (limit != null && !prices.known(kind) && probing.contains(kind)) {
            if (stopped.getAsBoolean()) {
                return java.util.Optional.empty(); // the run is stopping: no call, nothing reserved
            }
            wait(200);
        }
        BigDecimal price = prices.estimate(kind);
        if (limit != null && spent.add(reserved).add(price).compareTo(limit) > 0) {
            throw new BudgetReachedException(limit, spent, reserved, price);
        }
        boolean probe = limit != null && !prices.known(kind);
        if (probe) {
            probing.add(kind);
        }
        reserved = reserved.add(price);
        return java.util.Optional.of(new Reservation(kind, price, probe));
    }

    /** The call was paid: {@code actual} is its cost, or null when the API did not say (the estimate stands). */
    public synchronized void settle(Reservation reservation, BigDecimal actual) {
        if (close(reservation)) {
            spent = spent.add(actual != null ? actual : reservation.amount);
            prices.learn(reservation.kind, actual);
        }
    }

    /** The call cost nothing (refused, failed, never sent). */
    public synchronized void release(Reservation reservation) {
        close(reservation);
    }

    private boolean close(Reservation reservation) {
        if (!reservation.open) {
            return false;
        }
        reservation.open = false;
        reserved = reserved.subtract(reservation.amount);
        if (reservation.probe) {
            probing.remove(reservation.kind);
            notifyAll();
        }
        return true;
    }

    /** What was paid (or may have been) so far, calls in flight not included. */
    public synchronized BigDecimal spent() {
        return spent;
    }

    public PriceBook prices() {
        return prices;
    }
}
