package io.klingbatch.generation;

import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.output.Placement;
import io.klingbatch.request.CheckedRow;

/** What happens to each row as a run goes, for the console (or nothing). Called from worker and poller threads. */
public interface RunProgress {

    RunProgress NONE = new RunProgress() {
    };

    default void rejected(CheckedRow.Rejected row) {
    }

    /** Paid for now and saved. */
    default void generated(String id, int row, SavedVideo video) {
    }

    /** Made earlier: already here, copied in, on another machine's disk, or missing. Not paid again. */
    default void reused(String id, int row, Placement placement) {
    }

    /** Not paid here: being made right now (by another run, or submitted by an earlier one). */
    default void pending(String id, int row, String why) {
    }

    default void failed(String id, int row, String reason) {
    }

    default void uncertain(String id, int row, String reason) {
    }

    /** A call was paid: its cost (null when the API did not say) and the balance the API reported with it (or null). */
    default void paid(java.math.BigDecimal cost, java.math.BigDecimal remainingCredits) {
    }

    /** A sentence about the run as a whole (what a stop is waiting for, say). */
    default void notice(String sentence) {
    }
}
