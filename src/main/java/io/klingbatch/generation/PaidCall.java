package io.klingbatch.generation;

import io.klingbatch.ledger.Claim;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.money.Budget;
import io.klingbatch.money.BudgetReachedException;
import io.klingbatch.money.PriceBook;
import io.klingbatch.segmind.Billing;
import io.klingbatch.segmind.NotSentException;
import io.klingbatch.segmind.Submission;
import io.klingbatch.segmind.Wire;
import java.math.BigDecimal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One paid call's money, kept in one object so no branch forgets a part: the budget reserved before it is sent, a v2
 * slot taken, the ledger claimed the moment the request goes on the wire (and given back when an answer says nothing
 * was billed), and one outcome recorded: paid, submitted, failed, uncertain or not sent. Whatever was not settled by
 * an outcome is given back when it closes, so an unexpected error leaves neither a reservation, a slot nor a claim
 * behind (a claim whose call went out and never answered becomes UNCERTAIN: it may have cost money).
 */
final class PaidCall implements Wire, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PaidCall.class);

    private final RunSession session;
    private final VideoKey key;
    private final Optional<LedgerEntry> original;
    private Optional<LedgerEntry> before;
    private final PriceBook.Kind kind;
    private final String rowId;
    private final String name;
    private final VideoFor what;
    private Budget.Reservation reservation;
    private BigDecimal balanceBefore;
    private boolean slot;
    private boolean claimed;
    private boolean lostClaim;
    private boolean settled;

    /**
     * @param what  the row, format and take it is for (the ledger records the row's id)
     * @param name  the video's file name without extension
     */
    PaidCall(RunSession session, VideoKey key, Optional<LedgerEntry> before, PriceBook.Kind kind, VideoFor what, String name) {
        this.name = name;
        this.what = what;
        this.session = session;
        this.key = key;
        this.original = before;
        this.before = before;
        this.kind = kind;
        this.rowId = what.id();
    }

    /**
     * Reserves the video's price. The first call of a kind whose price is unknown under a budget reads the balance
     * first, so its price can be learned from the balance's change when the API does not say it.
     *
     * @throws BudgetReachedException the budget would be passed: the run stops
     */
    void reserve() throws InterruptedException {
        reservation = session.budget().reserve(kind, () -> !session.maySend())
                .orElseThrow(() -> new NotSentException("not sent: the run is stopping"));
        if (reservation.probe()) {
            balanceBefore = session.balance();
        }
    }

    /** v2: blocks while {@code max-in-flight} requests are already waiting for their results. */
    void takeSlot() throws InterruptedException {
        if (!session.collector().acquireSlot(() -> !session.maySend())) {
            throw new NotSentException("not sent: the run is stopping");
        }
        slot = true;
    }

    @Override
    public boolean cancelled() {
        return !session.maySend();
    }

    @Override
    public boolean sending() {
        if (!session.maySend()) {
            return false;
        }
        Claim claim = new Claim(kind.duration(), kind.mode(), reservation == null ? null : reservation.amount(),
                session.run().campaign().name(), rowId, session.executionId(), session.holder());
        claimed = session.ledger().claim(key, claim, before);
        if (!claimed) {
            lostClaim = true;
            return false;
        }
        session.wireStarted();
        return true;
    }

    @Override
    public void notBilled(String why, boolean attempt) {
        if (claimed) {
            claimed = false;
            session.wireEnded();
            before = session.ledger().notBilled(key, before, why, attempt); // the next attempt claims from there
        }
    }

    /** Whether the call was not sent because another run claimed the video at the same moment. */
    boolean lostClaim() {
        return lostClaim;
    }

    /** v1: the video is paid and saved. The folder's log first (the database may be unreachable), then the ledger. */
    void paid(SavedVideo video, Billing billing) {
        settled = true;
        BigDecimal cost = billing.cost();
        java.io.UncheckedIOException notLogged = null;
        try {
            try {
                session.files().recordPaid(video, key, billing, session.run().campaign().name());
            } catch (java.io.UncheckedIOException e) {
                notLogged = e; // the video is saved; the ledger must still say so, then the run stops
            }
            session.ledger().paid(key, video, session.files().host(), billing, session.run().campaign().name(), rowId);
            if (cost == null && balanceBefore != null) {
                cost = costFromBalance(billing.remainingCredits());
                if (cost != null) {
                    session.ledger().cost(key, cost);
                }
            }
        } finally {
            endWire();
            session.budget().settle(reservation, cost);
            releaseSlot();
            session.progress().paid(cost != null ? cost : reservation.amount(), billing.remainingCredits());
        }
        if (notLogged != null) {
            throw notLogged;
        }
    }

    /** v2: the API accepted it. Committed before any waiting; the collector now owns the reservation and the slot. */
    void submitted(Submission submission) {
        settled = true;
        try {
            try {
                session.files().recordSubmitted(key, submission.requestId(), submission.statusUrl().toString(),
                        submission.responseUrl().toString(), session.run().campaign().name());
            } catch (java.io.UncheckedIOException e) {
                log.warn("could not record request {} in the output folder's log: {}", submission.requestId(), e.getMessage());
            }
            session.ledger().submitted(key, submission);
        } finally {
            endWire();
            session.collector().track(key, kind, what, name, submission, reservation, balanceBefore, slot);
            slot = false;
        }
    }

    /** Not billed; the video may be tried again. */
    void failed(String reason) {
        settled = true;
        try {
            session.ledger().failed(key, reason, expected());
        } finally {
            endWire();
            session.budget().release(reservation);
            releaseSlot();
        }
    }

    /** May have been charged without a result: counts against the budget, never resent on its own. */
    void uncertain(String reason) {
        settled = true;
        try {
            session.ledger().uncertain(key, reason, expected());
        } finally {
            endWire();
            session.budget().settle(reservation, null);
            releaseSlot();
        }
    }

    /** Certainly not billed (refused, out of credits, unreachable, or never sent): as if it had not been tried. */
    void notSent() {
        settled = true;
        try {
            giveBackClaim();
        } finally {
            if (reservation != null) {
                session.budget().release(reservation);
            }
            releaseSlot();
        }
    }

    /** The line as this call left it: SENT by its claim, or the mark a "not billed" answer left. */
    private Ledger.Expect expected() {
        return claimed || before.isEmpty() ? Ledger.Expect.claimedBy(session.holder()) : Ledger.Expect.unchanged(before.get());
    }

    /** The cost a probe's balance change shows, when the API did not report it. */
    private BigDecimal costFromBalance(BigDecimal reportedAfter) {
        BigDecimal after = reportedAfter != null ? reportedAfter : session.balance();
        if (after == null || balanceBefore == null) {
            return null;
        }
        BigDecimal cost = balanceBefore.subtract(after);
        return cost.signum() > 0 ? cost : null;
    }

    /** Back to what the line was before this call: from our claim, or from the "not billed, trying again" mark it left. */
    private void giveBackClaim() {
        if (claimed) {
            claimed = false;
            session.wireEnded();
            session.ledger().release(key, original, Optional.empty());
        } else if (before != original) {
            session.ledger().release(key, original, before);
        }
    }

    private void endWire() {
        if (claimed) {
            claimed = false;
            session.wireEnded();
        }
    }

    private void releaseSlot() {
        if (slot) {
            slot = false;
            session.collector().releaseSlot();
        }
    }

    @Override
    public void close() {
        if (settled) {
            return;
        }
        try {
            if (claimed) {
                log.warn("a call for {} ended without an outcome; it may have been charged", key);
                uncertain("the call ended unexpectedly after it was sent; the API may have charged for it");
            } else {
                notSent();
            }
        } catch (RuntimeException e) {
            log.warn("could not settle the call for {}: {}", key, e.getMessage());
        }
    }
}
