package io.klingbatch.money;

import io.klingbatch.ledger.Ledger;
import org.springframework.stereotype.Component;

/** Opens a {@link PriceBook} for an API, taught by the ledger's earlier calls to it. */
@Component
public class Prices {

    private final CostProperties defaults;
    private final Ledger ledger;

    Prices(CostProperties defaults, Ledger ledger) {
        this.defaults = defaults;
        this.ledger = ledger;
    }

    /** The configured guesses only, for when the ledger cannot be read. */
    public PriceBook configured() {
        return new PriceBook(defaults, kind -> null);
    }

    public PriceBook book(String endpoint) {
        return new PriceBook(defaults, kind -> ledger.averageCost(endpoint, kind.mode(), kind.duration()));
    }
}
