package io.klingbatch.generation;

/**
 * Where a paid call stands. SENT is written before the call, so a crash mid-call is never mistaken for "never sent".
 * SUBMITTED (v2) holds a request id the API accepted: it is polled, never sent again.
 */
public enum LedgerState {
    SENT, SUBMITTED, PAID, FAILED, UNCERTAIN
}
