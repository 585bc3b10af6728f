package io.klingbatch.generation;

import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.ApiUnreachableException;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.Generated;
import io.klingbatch.segmind.KlingRequest;
import io.klingbatch.segmind.RowFailedException;
import io.klingbatch.segmind.SegmindException;
import io.klingbatch.segmind.Submission;
import io.klingbatch.segmind.UncertainException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes checked rows by paying for their videos, one at a time, with the ledger consulted before and updated
 * around every call.
 *
 * <p>Row-level failures never leave this class as exceptions: a FAILED or UNCERTAIN row is recorded and the
 * run goes on. That is deliberate: a skip or retry policy on the step would re-write the chunk and pay again.
 * Only run-level outcomes are thrown: credits or the budget gone ({@link RunStoppedException}, restartable), the
 * API refusing every call ({@link ApiRefusedException}), or a video that could not be saved locally.
 *
 * <p>With v1 a call returns the video. With v2 the writer only submits: the request id is committed to the ledger
 * at once, the {@link ResultCollector} waits for the result, and the worker goes on to the next row.
 */
public class GenerationWriter implements ItemWriter<CheckedRow> {

    private final CampaignRun run;
    private final Ledger ledger;
    private final RunSession session;
    private final RunProgress progress;
    private final CostModel costs;
    private final VideoStore store;

    public GenerationWriter(CampaignRun run, Ledger ledger, RunSession session, RunProgress progress, CostModel costs) {
        this.run = run;
        this.ledger = ledger;
        this.session = session;
        this.progress = progress;
        this.costs = costs;
        this.store = new VideoStore(run.campaign().output(), ledger);
    }

    @Override
    public void write(Chunk<? extends CheckedRow> chunk) throws Exception {
        for (CheckedRow item : chunk) {
            if (item instanceof CheckedRow.Accepted accepted) {
                generate(accepted);
            } else {
                progress.rejected((CheckedRow.Rejected) item);
            }
        }
    }

    private void generate(CheckedRow.Accepted row) throws RunStoppedException, InterruptedException {
        String id = row.row().id();
        int number = row.row().row();
        VideoRequest request = row.request();
        VideoKey key = new VideoKey(run.ledgerKey(), id, request.fingerprint(), run.simulated());
        stopIfAnotherWorkerMust();
        Optional<LedgerEntry> before = ledger.find(key);
        if ((before.isEmpty() || before.get().state() == LedgerState.SENT) && session.recoverPaid(key)) {
            progress.alreadyDone(id, number, LedgerState.PAID);
            return;
        }
        if (before.isPresent() && !shouldSend(key, before.get())) {
            LedgerState state = before.get().state();
            progress.alreadyDone(id, number, state == LedgerState.SENT ? LedgerState.UNCERTAIN : state);
            return;
        }
        if (before.isPresent() && before.get().state() == LedgerState.SENT) {
            before = ledger.find(key); // shouldSend just marked it UNCERTAIN
        }
        KlingRequest body;
        try {
            body = RequestMapper.toApi(request);
        } catch (UncheckedIOException e) {
            ledger.failed(key, 0, "image_url: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            progress.failed(id, number, e.getMessage());
            return;
        }
        BigDecimal estimate = costs.estimate(request.duration());
        try {
            session.budget().reserve(estimate);
        } catch (BudgetReachedException e) {
            session.stop(e);
            stopIfAnotherWorkerMust();
        }
        if (run.api() == Api.V2) {
            submit(key, id, number, request.duration(), body, before, estimate);
        } else {
            call(key, id, number, request.duration(), body, before, estimate);
        }
    }

    /** v1: one blocking call that answers with the video, streamed to disk. */
    private void call(VideoKey key, String id, int number, String duration, KlingRequest body, Optional<LedgerEntry> before,
                      BigDecimal estimate) throws RunStoppedException {
        if (!ledger.claim(key, duration, before)) {
            session.budget().release(estimate);
            progress.alreadyDone(id, number, LedgerState.SENT);
            return;
        }
        try {
            Generated<StoredVideo> result = session.client().generate(body, store.sinkFor(key));
            session.recordPaid(key, result.attempts(), result.video(), result.billing());
            session.budget().settle(estimate, result.billing().cost());
            progress.generated(id, number, result.video());
        } catch (SegmindException | UncheckedIOException e) {
            recordFailure(key, id, number, before, estimate, e);
        }
    }

    /** v2: submit, commit the request id before any waiting, and leave the waiting to the collector. */
    private void submit(VideoKey key, String id, int number, String duration, KlingRequest body, Optional<LedgerEntry> before,
                        BigDecimal estimate) throws RunStoppedException, InterruptedException {
        session.collector().acquireSlot();
        try {
            stopIfAnotherWorkerMust(); // the wait for a slot may have been long
        } catch (RunStoppedException | RuntimeException e) {
            session.collector().releaseSlot();
            session.budget().release(estimate);
            throw e;
        }
        if (!ledger.claim(key, duration, before)) {
            session.collector().releaseSlot();
            session.budget().release(estimate);
            progress.alreadyDone(id, number, LedgerState.SENT);
            return;
        }
        try {
            Submission submission = session.client().submit(body);
            ledger.submitted(key, 1, submission);
            session.collector().track(key, id, number, submission, estimate, 1);
        } catch (SegmindException | UncheckedIOException e) {
            session.collector().releaseSlot();
            recordFailure(key, id, number, before, estimate, e);
        }
    }

    private void recordFailure(VideoKey key, String id, int number, Optional<LedgerEntry> before, BigDecimal estimate, RuntimeException e)
            throws RunStoppedException {
        if (e instanceof RowFailedException failed) {
            ledger.failed(key, failed.attempts(), failed.getMessage());
            session.budget().release(estimate);
            progress.failed(id, number, failed.getMessage());
        } else if (e instanceof UncertainException uncertain) {
            ledger.uncertain(key, Math.max(1, uncertain.attempts()), uncertain.getMessage());
            session.budget().settle(estimate, null);
            progress.uncertain(id, number, uncertain.getMessage());
        } else if (e instanceof CreditsExhaustedException || e instanceof ApiRefusedException || e instanceof ApiUnreachableException) {
            ledger.release(key, before);
            session.budget().release(estimate);
            session.stop((SegmindException) e);
            stopIfAnotherWorkerMust();
        } else if (e instanceof UncheckedIOException notSaved) {
            String reason = "paid, but could not be saved in " + run.campaign().output() + ": " + notSaved.getCause().getMessage();
            ledger.uncertain(key, 1, reason);
            throw new VideoNotSavedException(reason, notSaved);
        } else {
            throw e;
        }
    }

    /** Once any worker found that the run must stop, no worker starts another call. */
    private void stopIfAnotherWorkerMust() throws RunStoppedException {
        SegmindException reason = session.stopReason();
        if (reason instanceof CreditsExhaustedException || reason instanceof ApiUnreachableException) {
            throw new RunStoppedException(reason);
        }
        if (reason != null) {
            throw reason;
        }
    }

    /**
     * PAID is never sent again. SUBMITTED (v2) is collected, never resent. UNCERTAIN only on request. SENT means an
     * earlier process died during the call: it may have been charged, so it becomes UNCERTAIN first. FAILED cost
     * nothing and is tried again.
     */
    private boolean shouldSend(VideoKey key, LedgerEntry entry) {
        return switch (entry.state()) {
            case PAID -> false;
            case SUBMITTED -> {
                session.collector().adopt(entry);
                yield false;
            }
            case FAILED -> true;
            case UNCERTAIN -> run.resendUncertain();
            case SENT -> {
                ledger.uncertain(key, 0, "the run ended while this call was in flight; the API may have charged for it");
                yield run.resendUncertain();
            }
        };
    }
}
