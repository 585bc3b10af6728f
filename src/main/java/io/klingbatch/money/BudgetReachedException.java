package io.klingbatch.money;

import io.klingbatch.segmind.CreditsExhaustedException;
import java.math.BigDecimal;

/** The campaign's {@code --max-credits} would be passed by the next call: stop, restartable with a larger budget. */
public class BudgetReachedException extends CreditsExhaustedException {

    BudgetReachedException(BigDecimal limit, BigDecimal spent, BigDecimal inFlight, BigDecimal next) {
        super("the budget of " + plain(limit) + " credits would be passed by the next video (about " + plain(next)
                + " credits on top of " + plain(spent) + " paid" + (inFlight.signum() > 0 ? " and " + plain(inFlight) + " in flight" : "")
                + ")", 0);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
