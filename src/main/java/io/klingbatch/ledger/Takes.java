package io.klingbatch.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * Which takes of a request a row stands for. With one take a row (the default) it is the latest: a remake
 * ({@code --remake}) orders the next take, which then replaces the earlier one in the row's name (the earlier file is
 * kept beside it). With several takes a row ({@code takes: N}) it is takes 1 to N, and any remade beyond them: each is
 * its own video, its own file.
 */
public final class Takes {

    /** One take of a request, and its ledger line if it has one. */
    public record Take(int take, LedgerEntry video) {
    }

    private Takes() {
    }

    /** @param known the request's ledger lines, in take order (empty when none) */
    public static List<Take> wanted(List<LedgerEntry> known, int takes) {
        if (takes <= 1) {
            return List.of(known.isEmpty() ? new Take(1, null) : new Take(known.get(known.size() - 1).key().take(), known.get(known.size() - 1)));
        }
        int last = Math.max(takes, known.isEmpty() ? 0 : known.get(known.size() - 1).key().take());
        List<Take> wanted = new ArrayList<>(last);
        for (int take = 1; take <= last; take++) {
            LedgerEntry found = null;
            for (LedgerEntry entry : known) {
                if (entry.key().take() == take) {
                    found = entry;
                }
            }
            wanted.add(new Take(take, found));
        }
        return wanted;
    }
}
