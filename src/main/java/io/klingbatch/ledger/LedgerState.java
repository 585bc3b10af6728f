package io.klingbatch.ledger;

/**
 * Where a video's payment stands.
 * <ul>
 * <li>ORDERED: a remake was asked for; nothing sent, nothing owed.</li>
 * <li>SENT: written the moment the request goes on the wire, so a process that dies mid-call is never mistaken for
 * one that never sent.</li>
 * <li>SUBMITTED (v2): the API accepted it and gave a request id: polled, never sent again.</li>
 * <li>PAID: the video exists, on disk somewhere.</li>
 * <li>FAILED: the API said no and charged nothing; may be tried again.</li>
 * <li>UNCERTAIN: may have been charged without a result; resent only on request.</li>
 * </ul>
 */
public enum LedgerState {
    ORDERED, SENT, SUBMITTED, PAID, FAILED, UNCERTAIN;

    /** States that may have cost money: a budget counts them. */
    public boolean mayHaveCost() {
        return this == SENT || this == SUBMITTED || this == PAID || this == UNCERTAIN;
    }
}
