package io.klingbatch.schedule;

import io.klingbatch.generation.RunProgress;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.request.CheckedRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * What the runs of this process did, as Micrometer meters (Prometheus names in brackets), for {@code schedule --port}:
 * <ul>
 * <li>{@code kling.videos} by {@code outcome} generated, rejected, failed, uncertain ({@code kling_videos_total}): counted as
 * each row is written;</li>
 * <li>{@code kling.credits.spent} ({@code kling_credits_spent_total}): what each run spent, when it ends;</li>
 * <li>{@code kling.calls.in.flight} ({@code kling_calls_in_flight}): paid calls on the wire now;</li>
 * <li>{@code kling.runs} by {@code outcome} completed, finished, stopped, refused, campaign-file, internal
 * ({@code kling_runs_total}), and {@code kling.schedule.skipped} by {@code reason} held, credits, budget, invalid, error
 * ({@code kling_schedule_skipped_total}): ticks that did not run.</li>
 * </ul>
 * It listens to the runs' progress while the scheduler runs (there is no console to tell), and logs their notices.
 */
@Component
@Lazy // only schedule uses it: run and validate do not load Micrometer
public class RunMetrics implements RunProgress {

    private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

    private final MeterRegistry registry;
    private final Counter generated;
    private final Counter rejected;
    private final Counter failed;
    private final Counter uncertain;
    private final Counter credits;

    RunMetrics(ObjectProvider<MeterRegistry> registries, RunSessions sessions) {
        this.registry = registries.getIfAvailable(SimpleMeterRegistry::new); // none unless schedule --port (MonitoringOnly)
        this.generated = videos("generated");
        this.rejected = videos("rejected");
        this.failed = videos("failed");
        this.uncertain = videos("uncertain");
        this.credits = Counter.builder("kling.credits.spent").description("Credits spent by the runs of this process").register(registry);
        Gauge.builder("kling.calls.in.flight", sessions, RunSessions::onWire).description("Paid calls on the wire now").register(registry);
    }

    private Counter videos(String outcome) {
        return Counter.builder("kling.videos").tag("outcome", outcome).description("Rows written by the runs of this process, by outcome")
                .register(registry);
    }

    /** A run ended. */
    void ran(RunOutcome outcome, BigDecimal spent) {
        Counter.builder("kling.runs").tag("outcome", outcome.status().word()).description("Runs of this process, by outcome")
                .register(registry).increment();
        if (spent != null && spent.signum() > 0) {
            credits.increment(spent.doubleValue());
        }
    }

    /** A tick that did not run, and why. */
    void skipped(String reason) {
        Counter.builder("kling.schedule.skipped").tag("reason", reason).description("Scheduled ticks that did not run, by reason")
                .register(registry).increment();
    }

    @Override
    public void rejected(CheckedRow.Rejected row) {
        rejected.increment();
    }

    @Override
    public void generated(String id, int row, SavedVideo video) {
        generated.increment();
    }

    @Override
    public void failed(String id, int row, String reason) {
        failed.increment();
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        uncertain.increment();
    }

    @Override
    public void notice(String sentence) {
        log.info(sentence);
    }
}
