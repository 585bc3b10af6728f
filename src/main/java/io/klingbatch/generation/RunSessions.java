package io.klingbatch.generation;

import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.Leases;
import io.klingbatch.money.Budget;
import io.klingbatch.money.Prices;
import io.klingbatch.output.VideoFiles;
import io.klingbatch.segmind.SegmindClient;
import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The {@link RunSession} of each job execution in this process, opened by its first worker and closed when the job
 * ends, and the door every stop of this process goes through ({@link #stopAll}, {@link #abandonAll}). Nothing here
 * outlives the process or needs to: what a restart must know is in the ledger.
 */
@Component
public class RunSessions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunSessions.class);

    private final Map<Long, RunSession> sessions = new ConcurrentHashMap<>();
    private final SegmindConnector connector;
    private final SegmindProperties settings;
    private final Ledger ledger;
    private final Leases leases;
    private final Prices prices;
    private final ProgressRelay progress;
    private final Clock clock;
    private volatile StopReason stopEverything;

    RunSessions(SegmindConnector connector, SegmindProperties settings, Ledger ledger, Leases leases, Prices prices, ProgressRelay progress,
                Clock clock) {
        this.connector = connector;
        this.settings = settings;
        this.ledger = ledger;
        this.leases = leases;
        this.prices = prices;
        this.progress = progress;
        this.clock = clock;
    }

    /** The run's session, opened on first use: one client, budget and output folder for all its workers. */
    public RunSession open(long jobExecutionId, CampaignRun run) {
        RunSession session = sessions.computeIfAbsent(jobExecutionId, id -> {
            var options = run.campaign().client();
            SegmindClient client = connector.open(run.simulated(), options.maxAttempts(), options.baseDelay(), options.connectTimeout(),
                    options.responseTimeout(), run.concurrency(), run.requestsPerMinute());
            Budget budget = new Budget(run.maxCredits(), ledger.spend(run.campaign().name(), run.endpointId()).atMost(),
                    prices.book(run.endpointId()));
            VideoFiles files = VideoFiles.open(run.campaign().output(), Endpoint.of(settings.baseUrl()).id(), ledger);
            log.info("run {} of campaign {} ({}) into {}, paying {}", jobExecutionId, run.campaign().name(), run.campaign().csv(),
                    run.campaign().output(), run.endpoint());
            return new RunSession(run, jobExecutionId, leases.clientId(), leases::alive, client, budget, files, ledger, progress, clock,
                    opened -> new ResultCollector(opened, clock, settings));
        });
        StopReason everything = stopEverything;
        if (everything != null) {
            session.stop(everything);
        }
        return session;
    }

    public Optional<RunSession> find(long jobExecutionId) {
        return Optional.ofNullable(sessions.get(jobExecutionId));
    }

    /** Closes a run's session (its client and pollers); what it left waiting stays SUBMITTED for the next run. */
    public void close(long jobExecutionId) {
        RunSession session = sessions.remove(jobExecutionId);
        if (session != null) {
            session.close();
        }
    }

    /** Every run of this process stops starting calls (a signal, the database gone); runs that start later stop at once. */
    public void stopAll(StopReason reason) {
        stopEverything = reason;
        sessions.values().forEach(session -> session.stop(reason));
    }

    /** Every call on the wire in this process is abandoned: they end UNCERTAIN (v2 requests stay SUBMITTED). */
    public void abandonAll() {
        sessions.values().forEach(RunSession::abandon);
    }

    /** Whether a run of this process stopped because the job repository cannot be reached. */
    public boolean databaseLost() {
        StopReason everything = stopEverything;
        return everything != null && everything.kind() == StopReason.Kind.DATABASE
                || sessions.values().stream().anyMatch(session -> session.stopReason() != null
                        && session.stopReason().kind() == StopReason.Kind.DATABASE);
    }

    /** Calls on the wire in this process now. */
    public int onWire() {
        return sessions.values().stream().mapToInt(RunSession::onWire).sum();
    }

    /** For the stop's message: the v2 requests still being made. */
    public int waiting() {
        return sessions.values().stream().mapToInt(session -> session.collector().waiting()).sum();
    }

    /** Lets runs start again after a stop of everything (the scheduler goes on after a run was stopped). */
    public void reset() {
        stopEverything = null;
    }

    List<RunSession> all() {
        return List.copyOf(sessions.values());
    }
}
