package io.klingbatch.generation;

/** Where a paid call stands. SENT is written before the call, so a crash mid-call is never mistaken for "never sent". */
public enum LedgerState {
    SENT, PAID, FAILED, UNCERTAIN
}
