package io.klingbatch.generation;

import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.segmind.SegmindProperties;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The end of every run, completed or stopped: waits for the v2 results still being made (when waiting makes sense),
 * then puts every paid video of the campaign in place under its row's name, whoever paid for it: rows of ranges an
 * earlier run finished, rows whose request another worker or another run was making when they were read, rows another
 * campaign's run made.
 */
@Component
public class RunFinisher {

    private final RunSessions sessions;
    private final CampaignReporter reporter;
    private final Ledger ledger;
    private final SegmindProperties settings;

    RunFinisher(RunSessions sessions, CampaignReporter reporter, Ledger ledger, SegmindProperties settings) {
        this.sessions = sessions;
        this.reporter = reporter;
        this.ledger = ledger;
        this.settings = settings;
    }

    /** @return how many of the campaign's videos are still being made (they stay SUBMITTED: the next run collects them) */
    public int finish(long jobExecutionId, CampaignRun run) throws InterruptedException {
        RunSession session = sessions.open(jobExecutionId, run);
        String endpoint = run.endpointId();
        if (session.mayCollect()) {
            Set<String> current = new HashSet<>();
            reporter.walk(run.campaign(), endpoint, state -> {
                for (CampaignReporter.VideoState videoState : state.videos()) {
                    LedgerEntry video = videoState.video();
                    if (video != null && video.state() == LedgerState.SUBMITTED) {
                        current.add(video.key().requestHash() + "/" + video.key().take());
                        session.collector().adopt(video, videoState.name(), what(run, state, videoState), true);
                    }
                }
            });
            for (LedgerEntry waiting : ledger.waiting(run.campaign().name(), endpoint)) {
                if (!heldElsewhere(session, waiting) && !current.contains(waiting.key().requestHash() + "/" + waiting.key().take())) {
                    session.collector().adopt(waiting, null, null, false); // an older version's: saved beside the row's current video
                }
            }
            session.collector().awaitIdle(settings.maxWait());
        }
        if (session.stopReason() != null && session.stopReason().kind() == StopReason.Kind.DATABASE) {
            return 0; // nothing can be read or recorded; the next run collects and places everything
        }
        int[] left = {0};
        reporter.walk(run.campaign(), endpoint, state -> {
            for (CampaignReporter.VideoState videoState : state.videos()) {
                LedgerEntry video = videoState.video();
                if (video == null) {
                    continue;
                }
                if (video.state() == LedgerState.PAID && session.mayPlace()) {
                    session.place(videoState.name(), what(run, state, videoState), video, true);
                } else if (video.state() == LedgerState.SUBMITTED && !heldElsewhere(session, video)) {
                    left[0]++;
                }
            }
        });
        return left[0];
    }

    private static VideoFor what(CampaignRun run, CampaignReporter.RowState row, CampaignReporter.VideoState video) {
        return new VideoFor(run.campaign().name(), row.checked().row().row(), row.checked().row().id(),
                video.spec().request().image() == null ? video.spec().format() : "image", video.take(), video.spec().request());
    }

    /** A video a live run of another process is making (it collects it; this run does not wait for it). */
    private static boolean heldElsewhere(RunSession session, LedgerEntry video) {
        return video.holder() != null && !video.holder().equals(session.holder()) && session.leasesAlive(video.holder());
    }
}
