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

    private void generate(CheckedRow.Accepted row) throws JobInterruptedException {
        session.checkStop();
        PromptRow prompt = row.row();
        VideoRequest request = row.request();
        String hash = request.fingerprint();
        try {
            Optional<LedgerEntry> before = session.ledger().latest(run.endpointId(), hash);
            VideoKey key = new VideoKey(run.endpointId(), hash, before.map(entry -> entry.key().take()).orElse(1));
            if (before.isEmpty() || before.get().state() == LedgerState.SENT && !alive(before.get())) {
                Optional<LedgerEntry> recovered = session.recoverFromFolder(key, prompt.id());
                if (recovered.isPresent()) {
                    session.place(prompt.id(), prompt.row(), recovered.get());
                    return;
                }
            }
            if (before.isPresent() && !shouldSend(prompt, before.get())) {
                return;
            }
            send(prompt, request, key, session.ledger().find(key));
        } catch (DataAccessException e) {
            session.stop(StopReason.from(e));
        } catch (UncheckedIOException e) {
            session.stop(NotSaved.reason(session.files(), e, 1)); // copying a video made earlier into the folder failed
        }
        session.checkStop();
    }

    /**
     * Whether a video the ledger knows is to be paid for now. PAID is put in place, never bought again; SUBMITTED (v2)
     * is collected; SENT by a live run is being made there; SENT by a dead run may have been charged, so it becomes
     * UNCERTAIN; UNCERTAIN is resent only on request; FAILED and ORDERED (a remake) cost nothing so far: they are sent.
     */
    private boolean shouldSend(PromptRow row, LedgerEntry video) {
        return switch (video.state()) {
            case PAID -> {
                session.place(row.id(), row.row(), video);
                yield false;
            }
            case SUBMITTED -> {
                session.collector().adopt(video, row.id(), row.row(), true);
                session.progress().pending(row.id(), row.row(), "submitted by an earlier run; collecting its result, not paying again");
                yield false;
            }
            case SENT -> {
                if (alive(video)) {
                    session.progress().pending(row.id(), row.row(), "being made right now by a run of " + video.campaign()
                            + "; it is copied here when done, not paid again");
                    yield false;
                }
                String reason = "a call was in flight when its run ended; the API may have charged for it";
                session.ledger().uncertain(video.key(), reason);
                yield uncertain(row, reason);
            }
            case UNCERTAIN -> uncertain(row, video.error());
            case FAILED, ORDERED -> true;
        };
    }

    private boolean uncertain(PromptRow row, String reason) {
        if (run.resendUncertain()) {
            return true;
        }
        session.progress().uncertain(row.id(), row.row(), reason + "; not resent (use --resend-uncertain to send it again)");
        return false;
    }

    private boolean alive(LedgerEntry video) {
        return video.holder() != null && (video.holder().equals(session.holder()) || session.leasesAlive(video.holder()));
    }

    private void send(PromptRow row, VideoRequest request, VideoKey key, Optional<LedgerEntry> before) throws JobInterruptedException {
        KlingRequest body;
        try {
            body = RequestMapper.toApi(request);
        } catch (UncheckedIOException e) {
            session.progress().failed(row.id(), row.row(), "image_url: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return;
        }
        PriceBook.Kind kind = new PriceBook.Kind(request.mode(), request.duration());
        try (PaidCall call = new PaidCall(session, key, before, kind, row.id())) {
            try {
                call.reserve();
                if (run.api() == Api.V2) {
                    call.takeSlot();
                    if (!session.maySend()) {
                        session.checkStop(); // the wait for a slot may have been long; a budget reached meanwhile still lets this one go
                    }
                    Submission submission = session.client().submit(body, call);
                    call.submitted(submission, row.row());
                } else {
                    Generated<SavedVideo> result = session.client().generate(body, session.files().sinkFor(key, row.id(), true), call);
                    call.paid(result.video(), result.billing());
                    session.firstReport(row.id());
                    session.progress().generated(row.id(), row.row(), result.video());
                }
            } catch (BudgetReachedException e) {
                session.stop(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.stop(new StopReason(StopReason.Kind.INTERRUPTED, "interrupted"));
            } catch (NotSentException e) {
                call.notSent();
                if (call.lostClaim()) {
                    session.progress().pending(row.id(), row.row(), "taken by another run at the same moment; it is copied here when done");
                }
            } catch (RowFailedException e) {
                call.failed(e.getMessage());
                session.progress().failed(row.id(), row.row(), e.getMessage());
            } catch (UncertainException e) {
                call.uncertain(e.getMessage());
                session.progress().uncertain(row.id(), row.row(), e.getMessage());
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
