package io.klingbatch.generation;

import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.Generated;
import io.klingbatch.segmind.RowFailedException;
import io.klingbatch.segmind.SegmindException;
import io.klingbatch.segmind.UncertainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes checked rows by paying for their videos, one at a time, with the ledger consulted before and updated
 * around every call.
 *
 * <p>Row-level failures never leave this class as exceptions: a FAILED or UNCERTAIN row is recorded and the
 * run goes on. That is deliberate: a skip or retry policy on the step would re-write the chunk and pay again.
 * Only run-level outcomes are thrown: credits gone ({@link RunStoppedException}, restartable), the API refusing
 * every call ({@link ApiRefusedException}), or a video that could not be saved locally.
 */
public class GenerationWriter implements ItemWriter<CheckedRow> {

    private final CampaignRun run;
    private final Ledger ledger;
    private final RunSession session;
    private final RunProgress progress;
    private final VideoStore store;

    public GenerationWriter(CampaignRun run, Ledger ledger, RunSession session, RunProgress progress) {
        this.run = run;
        this.ledger = ledger;
        this.session = session;
        this.progress = progress;
        this.store = new VideoStore(run.campaign().output());
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

    private void generate(CheckedRow.Accepted row) throws RunStoppedException {
        String id = row.row().id();
        int number = row.row().row();
        VideoRequest request = row.request();
        VideoKey key = new VideoKey(run.ledgerKey(), id, request.fingerprint(), run.simulated());
        stopIfAnotherWorkerMust();
        Optional<LedgerEntry> before = ledger.find(key);
        if (before.isPresent() && !shouldSend(key, before.get())) {
            progress.alreadyDone(id, number, before.get().state() == LedgerState.SENT ? LedgerState.UNCERTAIN : before.get().state());
            return;
        }
        ledger.sent(key);
        try {
            Generated<StoredVideo> result = session.client().generate(RequestMapper.toApi(request),
                    store.sinkFor(id, fileName -> moveOlderVersion(key, fileName)));
            ledger.paid(key, result.attempts(), result.video(), result.billing());
            progress.generated(id, number, result.video());
        } catch (RowFailedException e) {
            ledger.failed(key, e.attempts(), e.getMessage());
            progress.failed(id, number, e.getMessage());
        } catch (UncertainException e) {
            ledger.uncertain(key, Math.max(1, e.attempts()), e.getMessage());
            progress.uncertain(id, number, e.getMessage());
        } catch (CreditsExhaustedException | ApiRefusedException e) {
            ledger.release(key, before);
            session.stop(e);
            stopIfAnotherWorkerMust();
        } catch (UncheckedIOException e) {
            String reason = "paid, but could not be saved in " + run.campaign().output() + ": " + e.getCause().getMessage();
            ledger.uncertain(key, 1, reason);
            throw new VideoNotSavedException(reason, e);
        }
    }

    /** Once any worker found that the run must stop, no worker starts another call. */
    private void stopIfAnotherWorkerMust() throws RunStoppedException {
        SegmindException reason = session.stopReason();
        if (reason instanceof CreditsExhaustedException) {
            throw new RunStoppedException(reason);
        }
        if (reason != null) {
            throw reason;
        }
    }

    /**
     * PAID is never sent again. UNCERTAIN only on request. SENT means an earlier process died during the call:
     * it may have been charged, so it becomes UNCERTAIN first. FAILED cost nothing and is tried again.
     */
    private boolean shouldSend(VideoKey key, LedgerEntry entry) {
        return switch (entry.state()) {
            case PAID -> false;
            case FAILED -> true;
            case UNCERTAIN -> run.resendUncertain();
            case SENT -> {
                ledger.uncertain(key, 0, "the run ended while this call was in flight; the API may have charged for it");
                yield run.resendUncertain();
            }
        };
    }

    /**
     * A new version of a row takes the name {@code <id>.mp4}. Whatever file had that name is kept: an older paid
     * version (real or simulated) becomes {@code <id>.<hash8>.mp4} with the ledger updated, and a file the ledger
     * does not know becomes {@code <name>.previous}. A paid result is never overwritten.
     */
    private void moveOlderVersion(VideoKey key, String fileName) {
        Path folder = run.campaign().output();
        Path target = folder.resolve(fileName);
        for (LedgerEntry older : ledger.paidVersions(key.campaign(), key.videoId())) {
            if (!older.key().equals(key) && fileName.equals(older.fileName()) && Files.exists(target)) {
                String aside = key.videoId() + "." + older.key().requestHash().substring(0, 8)
                        + (older.key().simulated() ? ".simulated" : "") + fileName.substring(key.videoId().length());
                move(target, folder.resolve(aside));
                ledger.moved(older.key(), aside);
            }
        }
        if (Files.exists(target)) {
            move(target, folder.resolve(fileName + ".previous"));
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
