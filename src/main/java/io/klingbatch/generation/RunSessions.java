package io.klingbatch.generation;

import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The {@link RunSession} of each job execution in this process, opened by its first worker and finished when the
 * job ends. Nothing here outlives the process or needs to: what a restart must know is in the ledger.
 */
@Component
public class RunSessions {

    private final Map<Long, RunSession> sessions = new ConcurrentHashMap<>();
    private final SegmindConnector connector;
    private final SegmindProperties settings;
    private final Ledger ledger;
    private final ProgressRelay progress;
    private final Clock clock;

    RunSessions(SegmindConnector connector, SegmindProperties settings, Ledger ledger, ProgressRelay progress, Clock clock) {
        this.connector = connector;
        this.settings = settings;
        this.ledger = ledger;
        this.progress = progress;
        this.clock = clock;
    }

    public RunSession open(long jobExecutionId, CampaignRun run) {
        return sessions.computeIfAbsent(jobExecutionId, id -> {
            var options = run.campaign().client();
            var client = connector.open(run.simulated(), options.maxAttempts(), options.baseDelay(), options.connectTimeout(),
                    options.responseTimeout(), run.concurrency(), run.requestsPerMinute());
            Budget budget = new Budget(run.maxCredits(), ledger.spent(run.ledgerKey(), run.simulated()));
            VideoStore store = new VideoStore(run.campaign().output(), ledger);
            PaidLog paidLog = PaidLog.open(run.campaign().output());
            return new RunSession(client, budget, ledger, paidLog, session -> new ResultCollector(session, ledger, store, progress, clock, settings));
        });
    }

    /**
     * Ends a run: collects every v2 request still waiting (this run's, and any an earlier run left SUBMITTED), so
     * nothing paid is left behind when a run stops, then closes the client.
     */
    public void finish(long jobExecutionId, CampaignRun run) throws InterruptedException {
        List<LedgerEntry> leftOver = ledger.submitted(run.ledgerKey(), run.simulated());
        RunSession session = leftOver.isEmpty() ? sessions.get(jobExecutionId) : open(jobExecutionId, run);
        if (session == null) {
            return;
        }
        try {
            leftOver.forEach(session.collector()::adopt);
            session.collector().awaitIdle();
        } finally {
            sessions.remove(jobExecutionId);
            session.close();
        }
    }
}
