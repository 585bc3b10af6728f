package io.klingbatch.generation;

import io.klingbatch.request.CheckedRow;

/** What happens to each row as a run goes, for the console (or nothing). Called from worker threads. */
public interface RunProgress {

    RunProgress NONE = new RunProgress() {
    };

    default void rejected(CheckedRow.Rejected row) {
    }

    default void generated(String id, int row, StoredVideo video) {
    }

    default void alreadyDone(String id, int row, LedgerState state) {
    }

    default void failed(String id, int row, String reason) {
    }

    default void uncertain(String id, int row, String reason) {
    }
}
