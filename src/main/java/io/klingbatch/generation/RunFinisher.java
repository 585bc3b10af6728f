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

    /** @return how many v2 results are still being made (they stay SUBMITTED: the next run collects them) */
    public int finish(long jobExecutionId, CampaignRun run) throws InterruptedException {
        RunSession session = sessions.open(jobExecutionId, run);
        String endpoint = run.endpointId();
        if (session.mayCollect()) {
            Set<String> current = new HashSet<>();
            reporter.walk(run.campaign(), endpoint, state -> {
                LedgerEntry video = state.video();
                if (video != null && video.state() == LedgerState.SUBMITTED) {
                    current.add(video.key().requestHash() + "/" + video.key().take());
                    session.collector().adopt(video, state.checked().row().id(), state.checked().row().row(), true);
                }
            });
            for (LedgerEntry waiting : ledger.waiting(run.campaign().name(), endpoint)) {
                boolean heldElsewhere = waiting.holder() != null && !waiting.holder().equals(session.holder()) && session.leasesAlive(waiting.holder());
                if (!heldElsewhere && !current.contains(waiting.key().requestHash() + "/" + waiting.key().take())) {
                    session.collector().adopt(waiting, null, 0, false); // an older version's: saved beside the row's current video
                }
            }
            session.collector().awaitIdle(settings.maxWait());
        }
        if (session.mayPlace()) {
            reporter.walk(run.campaign(), endpoint, state -> {
                LedgerEntry video = state.video();
                if (video != null && video.state() == LedgerState.PAID) {
                    session.place(state.checked().row().id(), state.checked().row().row(), video, true);
                }
            });
        }
        return session.collector().waiting() + (session.mayCollect() ? 0 : countWaiting(run, endpoint));
    }

    private int countWaiting(CampaignRun run, String endpoint) {
        try {
            return ledger.waiting(run.campaign().name(), endpoint).size();
        } catch (RuntimeException e) {
            return 0; // the database may be why the run stopped
        }
    }
}
