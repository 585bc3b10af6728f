package io.klingbatch.schedule;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.job.RunResult;
import io.klingbatch.ledger.Leases;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.Spend;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What {@code run} and {@code schedule} both do around a run: size the connection pool for it, note when it started and
 * what the campaign had spent, then turn its result into a {@link RunReport} and tell the job file's webhook.
 */
@Component
public class RunRecorder {

    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);

    private final Ledger ledger;
    private final Clock clock;
    private final ConnectionPool pool;
    private final WebhookNotifier notifier;

    RunRecorder(Ledger ledger, Clock clock, ConnectionPool pool, WebhookNotifier notifier) {
        this.ledger = ledger;
        this.clock = clock;
        this.pool = pool;
        this.notifier = notifier;
    }

    /** Before the run (resolved: its endpoint known); close the recording when the run is over. */
    public Recording start(CampaignRun run, String trigger) {
        return new Recording(run, trigger, pool.reserve(run.concurrency()));
    }

    /** Tells the campaign's webhook, if its job file names one, that a run ended or stopped; never fails. */
    public void notify(Campaign campaign, RunReport report) {
        if (campaign.webhook() == null || !report.outcome().launched()) {
            return;
        }
        try {
            notifier.send(campaign.webhook(), report.json());
        } catch (RuntimeException e) {
            log.warn("could not notify {}: {}", WebhookNotifier.where(campaign.webhook()), e.toString());
        }
    }

    /** One run being recorded. */
    public final class Recording implements AutoCloseable {
        private final CampaignRun run;
        private final String trigger;
        private final ConnectionPool.Reservation reservation;
        private final Spend before;
        private volatile Instant started;

        private Recording(CampaignRun run, String trigger, ConnectionPool.Reservation reservation) {
            this.run = run;
            this.trigger = trigger;
            this.reservation = reservation;
            Spend spend;
            try {
                spend = ledger.spend(run.campaign().name(), run.endpointId());
            } catch (RuntimeException e) {
                reservation.close();
                throw e;
            }
            this.before = spend;
            this.started = clock.instant();
        }

        /** The run has the campaign now (its lease taken): its start time. */
        public void started() {
            started = clock.instant();
        }

        /** The report of the run that ended. */
        public RunReport finish(RunResult result) {
            RunOutcome outcome = RunOutcome.of(result);
            BigDecimal spent = result.summary().spent().subtract(before.paid()).max(BigDecimal.ZERO);
            RunReport report = new RunReport(run.campaign().name(), run.campaign().source(), trigger, outcome, spent,
                    run.campaign().output().resolve("manifest.csv"), started, clock.instant(), Leases.hostName());
            return report;
        }

        @Override
        public void close() {
            reservation.close();
        }
    }
}
