package io.klingbatch.money;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a kind of video costs on one API, learned as a run goes: from each paid call's {@code x-cost} (v2: the result's
 * {@code metrics.cost}, else the balance's change around it), else from the ledger's earlier calls of the same kind, else
 * the configured guess. A price is <em>known</em> once the API has said it; until then a budget lets only one such call
 * be in flight at a time.
 */
public final class PriceBook {

    /** A kind of video, which sets its price. */
    public record Kind(String mode, String duration) {
    }

    private final CostProperties defaults;
    private final Function<Kind, BigDecimal> history;
    private final Map<Kind, BigDecimal> learned = new ConcurrentHashMap<>();
    private final Map<Kind, BigDecimal> remembered = new ConcurrentHashMap<>();

    /** @param history the average cost of earlier paid calls of a kind, or null when none said */
    public PriceBook(CostProperties defaults, Function<Kind, BigDecimal> history) {
        this.defaults = defaults;
        this.history = history;
    }

    /** The best guess of a video's price now. */
    public BigDecimal estimate(Kind kind) {
        BigDecimal price = learned.get(kind);
        if (price == null) {
            price = fromHistory(kind);
        }
        if (price != null) {
            return price;
        }
        return "5".equals(kind.duration()) ? defaults.fiveSeconds() : defaults.tenSeconds();
    }

    /** Whether the API has told what this kind costs (in this run or an earlier one). */
    public boolean known(Kind kind) {
        return learned.containsKey(kind) || fromHistory(kind) != null;
    }

    /** The API said what a video of this kind cost. */
    public void learn(Kind kind, BigDecimal cost) {
        if (cost != null && cost.signum() >= 0) {
            learned.put(kind, cost);
        }
    }

    private BigDecimal fromHistory(Kind kind) {
        BigDecimal known = remembered.get(kind);
        if (known != null) {
            return known.signum() < 0 ? null : known;
        }
        BigDecimal average = history.apply(kind);
        remembered.put(kind, average == null ? BigDecimal.ONE.negate() : average);
        return average;
    }
}
