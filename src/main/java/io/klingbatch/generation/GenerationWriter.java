package io.klingbatch.generation;

import io.klingbatch.campaign.PromptRow;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.money.BudgetReachedException;
import io.klingbatch.money.PriceBook;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.request.VideoSpec;
import io.klingbatch.ledger.Takes;
import java.util.List;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.ApiUnreachableException;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.Generated;
import io.klingbatch.segmind.KlingRequest;
import io.klingbatch.segmind.NotSentException;
import io.klingbatch.segmind.RowFailedException;
import io.klingbatch.segmind.Submission;
import io.klingbatch.segmind.UncertainException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.dao.DataAccessException;

/**
 * Gives each checked row its video: made earlier (anywhere in the job repository) and put in place, or paid for now,
 * one call at a time, with the ledger consulted before and updated around every call.
 *
 * <p>Row-level failures never leave this class as exceptions: a FAILED or UNCERTAIN video is recorded and the run goes
 * on. That is deliberate: a skip or retry policy on the step would re-write the chunk and pay again. Only a stop of the
 * whole run is thrown, and only between calls: {@link RunStoppedException} (STOPPED, restartable) or a refused key.
 *
 * <p>With v1 a call returns the video. With v2 the writer only submits: the request id is committed to the ledger at
 * once, the {@link ResultCollector} waits for the result, and the worker goes on to the next row.
 */
public class GenerationWriter implements ItemWriter<CheckedRow> {

    private final CampaignRun run;
    private final RunSession session;

    public GenerationWriter(CampaignRun run, RunSession session) {
        this.run = run;
        this.session = session;
    }

    @Override
    public void write(Chunk<? extends CheckedRow> chunk) throws Exception {
        for (CheckedRow item : chunk) {
            if (item instanceof CheckedRow.Accepted accepted) {
                generate(accepted);
            } else {
                session.progress().rejected((CheckedRow.Rejected) item);
            }
        }
    }

    /** Each video of the row (its formats, and takes), one at a time. */
    private void generate(CheckedRow.Accepted row) throws JobInterruptedException {
        int takes = run.campaign().videos().takes();
        for (VideoSpec spec : row.videos()) {
            String hash = spec.request().fingerprint();
            List<LedgerEntry> known;
            try {
                known = session.ledger().takes(run.endpointId(), List.of(hash)).getOrDefault(hash, List.of());
            } catch (DataAccessException e) {
                session.stop(StopReason.from(e));
                session.checkStop();
                return;
            }
            for (Takes.Take take : Takes.wanted(known, takes)) {
                session.checkStop();
                VideoFor video = new VideoFor(run.campaign().name(), row.row().row(), row.row().id(),
                        spec.request().image() == null ? spec.format() : "image", take.take(), spec.request());
                generate(row.row(), new Video(spec, take.take(), spec.name(take.take(), takes), video), Optional.ofNullable(take.video()));
            }
        }
        session.checkStop();
    }

    /** One video of a row: its format's request, its take, its file name, and what its metadata says it is for. */
    private record Video(VideoSpec spec, int take, String name, VideoFor what) {
    }

    private void generate(PromptRow prompt, Video video, Optional<LedgerEntry> before) {
        VideoKey key = new VideoKey(run.endpointId(), video.spec().request().fingerprint(), video.take());
        try {
            if (before.isEmpty() || before.get().state() == LedgerState.SENT && !alive(before.get())
                    || before.get().state() == LedgerState.SUBMITTED && session.files().find(key).isPresent()) {
                Optional<LedgerEntry> recovered = session.recoverFromFolder(key, prompt.id());
                if (recovered.isPresent()) {
                    before = recovered; // paid (placed below), or submitted (collected below)
                }
            }
            if (before.isPresent() && !shouldSend(prompt, video, before.get())) {
                return;
            }
            send(prompt, video, key, session.ledger().find(key));
        } catch (DataAccessException e) {
            session.stop(StopReason.from(e));
        } catch (UncheckedIOException e) {
            session.stop(NotSaved.reason(session.files(), e, 1)); // copying a video made earlier into the folder failed
        } catch (JobInterruptedException e) {
            // the run must stop: the caller's next check says so
        }
    }

    /**
     * Whether a video the ledger knows is to be paid for now. PAID is put in place, never bought again; SUBMITTED (v2)
     * is collected; SENT by a live run is being made there; SENT by a dead run may have been charged, so it becomes
     * UNCERTAIN; UNCERTAIN is resent only on request; FAILED and ORDERED (a remake) cost nothing so far: they are sent.
     */
    private boolean shouldSend(PromptRow row, Video wanted, LedgerEntry video) {
        String name = wanted.name();
        return switch (video.state()) {
            case PAID -> {
                session.place(name, wanted.what(), video);
                yield false;
            }
            case SUBMITTED -> {
                session.collector().adopt(video, name, wanted.what(), true);
                session.progress().pending(name, row.row(), "submitted by an earlier run; collecting its result, not paying again");
                yield false;
            }
            case SENT -> {
                if (alive(video)) {
                    session.progress().pending(name, row.row(), "being made right now by a run of " + video.campaign()
                            + "; it is copied here when done, not paid again");
                    yield false;
                }
                String reason = "a call was in flight when its run ended; the API may have charged for it";
                session.ledger().uncertain(video.key(), reason, io.klingbatch.ledger.Ledger.Expect.claimedBy(video.holder()));
                yield uncertain(name, row, reason);
            }
            case UNCERTAIN -> uncertain(name, row, video.error());
            case FAILED, ORDERED -> true;
        };
    }

    private boolean uncertain(String name, PromptRow row, String reason) {
        if (run.resendUncertain()) {
            return true;
        }
        session.progress().uncertain(name, row.row(), reason + "; not resent (use --resend-uncertain to send it again)");
        return false;
    }

    private boolean alive(LedgerEntry video) {
        return video.holder() != null && (video.holder().equals(session.holder()) || session.leasesAlive(video.holder()));
    }

    private void send(PromptRow row, Video video, VideoKey key, Optional<LedgerEntry> before) throws JobInterruptedException {
        VideoRequest request = video.spec().request();
        String name = video.name();
        KlingRequest body;
        try {
            body = RequestMapper.toApi(request);
        } catch (UncheckedIOException e) {
            session.progress().failed(name, row.row(), "image_url: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return;
        }
        PriceBook.Kind kind = new PriceBook.Kind(request.mode(), request.duration());
        try (PaidCall call = new PaidCall(session, key, before, kind, video.what(), name)) {
            try {
                call.reserve();
                if (run.api() == Api.V2) {
                    call.takeSlot();
                    if (!session.maySend()) {
                        session.checkStop(); // the wait for a slot may have been long; a budget reached meanwhile still lets this one go
                    }
                    Submission submission = session.client().submit(body, call);
                    call.submitted(submission);
                } else {
                    Generated<SavedVideo> result = session.client().generate(body, session.files().sinkFor(key, name, true), call);
                    call.paid(result.video(), result.billing());
                    session.describe(name, video.what(), result.video(), result.billing());
                    session.firstReport(name);
                    session.progress().generated(name, row.row(), result.video());
                }
            } catch (BudgetReachedException e) {
                session.stop(e);
            } catch (InterruptedException e) {
                // not re-interrupted on purpose: this thread still records the run's state, and an interrupted thread's next
                // file write would close the H2 database; the run stops instead
                call.notSent();
                session.stop(new StopReason(StopReason.Kind.INTERRUPTED, "interrupted"));
            } catch (NotSentException e) {
                call.notSent();
                if (call.lostClaim()) {
                    session.progress().pending(name, row.row(), "taken by another run at the same moment; it is copied here when done");
                }
            } catch (RowFailedException e) {
                call.failed(e.getMessage());
                session.progress().failed(name, row.row(), e.getMessage());
            } catch (UncertainException e) {
                call.uncertain(e.getMessage());
                session.progress().uncertain(name, row.row(), e.getMessage());
            } catch (CreditsExhaustedException | ApiRefusedException | ApiUnreachableException e) {
                call.notSent();
                session.stop(e);
            } catch (UncheckedIOException notSaved) {
                StopReason reason = NotSaved.reason(session.files(), notSaved, Math.max(1, session.onWire()));
                call.uncertain("paid, but " + reason.message().replaceFirst("^a paid video ", "it "));
                session.stop(reason);
            }
        }
    }
}
