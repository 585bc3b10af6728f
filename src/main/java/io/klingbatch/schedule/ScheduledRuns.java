package io.klingbatch.schedule;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.generation.StopReason;
import io.klingbatch.job.CampaignHistory;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.ledger.CampaignHeldException;
import io.klingbatch.money.CostEstimate;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.Plan;
import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * One tick of a scheduled campaign: the job file read again (an edited budget or CSV path applies now; an invalid one is
 * one error line, and the tick is skipped), then the same run {@code run} would start, held through the database:
 * <ul>
 * <li>another process or machine holds the campaign: skipped, one line;</li>
 * <li>its last run stopped for credits: the balance is read ({@code get-user-credits}); until it covers one video, the
 * tick waits, one line, nothing sent;</li>
 * <li>its last run stopped for its budget: waits until the job file's {@code max-credits} changes;</li>
 * <li>completed: nothing is paid (videos made elsewhere are put in place, the manifest rewritten); rows appended since
 * are paid on this tick.</li>
 * </ul>
 * A run's start and end are one line each, given to {@code say} (the console) and logged (the log file).
 */
@Component
@Lazy
public class ScheduledRuns {

    /** The logger of the run lines: its INFO lines are the scheduler's record in the log file. */
    static final Logger log = LoggerFactory.getLogger("io.klingbatch.schedule");

    /** What a tick did. */
    public enum Tick {
        /** A run was started (or found nothing to pay for) and ended. */
        RAN,
        /** Another run holds the campaign. */
        HELD,
        /** Stopped for credits, and the balance still covers no video. */
        WAITING_FOR_CREDITS,
        /** Stopped for its budget, which the job file has not changed. */
        WAITING_FOR_BUDGET,
        /** The job file (or its CSV) cannot be used now. */
        INVALID,
        /** The job repository could not be reached, or something unexpected. */
        FAILED
    }

    /**
     * @param campaign the campaign as its job file said at this tick (null when it could not be read)
     * @param report   the run's report (null when no run was started)
     */
    public record TickResult(Tick tick, Campaign campaign, RunReport report) {
    }

    private final CampaignLauncher launcher;
    private final CampaignHistory history;
    private final CampaignReporter reporter;
    private final SegmindConnector connector;
    private final RunRecorder recorder;
    private final RunMetrics metrics;
    private final ProgressRelay progress;

    ScheduledRuns(CampaignLauncher launcher, CampaignHistory history, CampaignReporter reporter, SegmindConnector connector,
                  RunRecorder recorder, RunMetrics metrics, ProgressRelay progress) {
        this.progress = progress;
        this.launcher = launcher;
        this.history = history;
        this.reporter = reporter;
        this.connector = connector;
        this.recorder = recorder;
        this.metrics = metrics;
    }

    /**
     * @param jobFile          the job file, read now
     * @param workingDirectory what its default output folder ({@code out/<name>}) is relative to
     * @param simulate         against the built-in simulated API
     * @param say              where each line goes besides the log file (the console)
     */
    public TickResult tick(Path jobFile, Path workingDirectory, boolean simulate, Consumer<String> say) {
        String name = nameOf(jobFile);
        Campaign campaign;
        try {
            campaign = new CampaignLoader(workingDirectory).load(jobFile, null);
            if (campaign.schedule() == null) {
                throw new CampaignFileException(campaign.source(), "has no 'schedule:' any more");
            }
        } catch (CampaignFileException e) {
            return invalid(name, e, null, say);
        }
        try {
            return tick(campaign, simulate, say);
        } catch (CampaignFileException e) {
            return invalid(name, e, campaign, say);
        } catch (DataAccessException e) {
            error(say, "campaign " + name + ": tick skipped: the job repository cannot be reached (" + rootMessage(e) + "); the next tick tries again");
            metrics.skipped("error");
            return new TickResult(Tick.FAILED, campaign, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TickResult(Tick.FAILED, campaign, null);
        } catch (Exception e) {
            log.error("campaign {}: tick failed", name, e);
            say.accept("campaign " + name + ": tick failed by an internal error (" + rootMessage(e) + "); details in the log file");
            metrics.skipped("error");
            return new TickResult(Tick.FAILED, campaign, null);
        }
    }

    private TickResult tick(Campaign campaign, boolean simulate, Consumer<String> say) throws Exception {
        progress.listen(metrics); // unattended: the rows' progress goes to the metrics (and notices to the log), not to a console
        CampaignRun run = launcher.resolve(new CampaignRun(campaign, simulate, false));
        Optional<JobExecution> last = history.lastExecution(campaign);
        StopReason lastStop = last.filter(execution -> execution.getStatus() == BatchStatus.STOPPED).map(StopReason::stored)
                .orElse(StopReason.NONE);
        if (lastStop.kind() == StopReason.Kind.CREDITS && !creditsCoverAVideo(run, say)) {
            metrics.skipped("credits");
            return new TickResult(Tick.WAITING_FOR_CREDITS, campaign, null);
        }
        if (lastStop.kind() == StopReason.Kind.BUDGET && sameBudget(CampaignHistory.budget(last.get()), run.maxCredits())) {
            info(say, "campaign " + campaign.name() + ": waiting for a new budget: the last run stopped at max-credits "
                    + RunReport.plain(run.maxCredits()) + "; raise it in " + campaign.source().getFileName() + " to go on");
            metrics.skipped("budget");
            return new TickResult(Tick.WAITING_FOR_BUDGET, campaign, null);
        }
        RunResult result;
        try (RunRecorder.Recording recording = recorder.start(run, "schedule")) {
            try {
                result = launcher.run(run, () -> {
                    recording.started();
                    startLine(run).ifPresent(line -> info(say, line));
                });
            } catch (CampaignHeldException e) {
                info(say, "campaign " + campaign.name() + ": tick skipped: " + e.getMessage());
                metrics.skipped("held");
                return new TickResult(Tick.HELD, campaign, null);
            }
            RunReport report = recording.finish(result);
            metrics.ran(report.outcome(), report.spent());
            if (report.outcome().status() == RunOutcome.Status.INTERNAL || report.outcome().status() == RunOutcome.Status.REFUSED) {
                error(say, report.line());
            } else {
                info(say, report.line());
            }
            recorder.notify(campaign, report);
            return new TickResult(Tick.RAN, campaign, report);
        }
    }

    /** The run's first line; none when there is nothing to pay for (a completed campaign's tick is its end line alone). */
    private Optional<String> startLine(CampaignRun run) {
        Campaign campaign = run.campaign();
        Plan plan = reporter.plan(campaign, run.endpointId(), false);
        if (plan.toPay() == 0 && plan.inFlight() == 0) {
            return Optional.empty();
        }
        return Optional.of("campaign " + campaign.name() + ": run started from " + campaign.source() + ": " + plan.rows() + (plan.rows() == 1 ? " row" : " rows")
                + " (" + plan.rejected() + " rejected), " + plan.toPay() + (plan.toPay() == 1 ? " video" : " videos") + " to pay for, "
                + (plan.made() + plan.shared()) + " made earlier; videos in " + campaign.output() + (run.simulated() ? ", simulated API" : ""));
    }

    /** After a stop for credits: whether the balance now covers at least one of the videos left (said either way). */
    private boolean creditsCoverAVideo(CampaignRun run, Consumer<String> say) {
        String name = run.campaign().name();
        BigDecimal balance;
        try {
            balance = connector.credits(run.simulated());
        } catch (SegmindException e) {
            info(say, "campaign " + name + ": waiting for credits: the balance cannot be read (" + e.getMessage() + "); the next tick asks again");
            return false;
        }
        CostEstimate estimate = reporter.estimate(run.campaign(), run.endpointId(), balance);
        if (estimate.rows() > 0 && estimate.covered() == 0) {
            info(say, "campaign " + name + ": waiting for credits: balance " + RunReport.plain(balance) + " covers none of the "
                    + estimate.rows() + (estimate.rows() == 1 ? " video" : " videos") + " left (about " + RunReport.plain(estimate.total())
                    + " credits); the next tick asks again");
            return false;
        }
        log.info("campaign {}: balance {} covers {} of the {} videos left; resuming", name, RunReport.plain(balance), estimate.covered(), estimate.rows());
        return true;
    }

    private static boolean sameBudget(BigDecimal then, BigDecimal now) {
        return then == null ? now == null : now != null && then.compareTo(now) == 0;
    }

    private TickResult invalid(String name, CampaignFileException e, Campaign campaign, Consumer<String> say) {
        error(say, "campaign " + name + ": tick skipped: " + e.getMessage());
        metrics.skipped("invalid");
        return new TickResult(Tick.INVALID, campaign, null);
    }

    private static void info(Consumer<String> say, String line) {
        log.info(line);
        say.accept(line);
    }

    private static void error(Consumer<String> say, String line) {
        log.error(line);
        say.accept(line);
    }

    static String nameOf(Path jobFile) {
        String fileName = jobFile.getFileName().toString();
        return fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
