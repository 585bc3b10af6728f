package io.klingbatch.schedule;

import io.klingbatch.generation.StopReason;
import io.klingbatch.job.RunResult;
import io.klingbatch.output.CampaignSummary;
import java.util.Locale;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * How a run ended, in one place for {@code run} (its sentence and exit code), {@code schedule} (its log line), the
 * webhook and the metrics: the status, its exit code (the command line's contract), and the reason a run stopped.
 *
 * @param status  what the run came to
 * @param reason  why it stopped ({@link StopReason#NONE} when it finished)
 * @param summary the campaign's state afterwards
 */
public record RunOutcome(Status status, StopReason reason, CampaignSummary summary, boolean launched) {

    /** The outcomes, each with the exit code {@code run} gives it. */
    public enum Status {
        /** Every row generated, now or earlier. */
        COMPLETED(0),
        /** Finished, some rows not generated (rejected, failed, uncertain). */
        FINISHED(1),
        /** The campaign's CSV (or job file) became unusable during the run. */
        CAMPAIGN_FILE(2),
        /** Stopped and restartable: credits, budget, a signal, the API or the database unreachable, a full disk... */
        STOPPED(3),
        /** The API refuses every call (key, URL). */
        REFUSED(4),
        /** A bug or an unexpected failure. */
        INTERNAL(70);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        /** For JSON, log lines and metric tags: {@code completed}, {@code campaign-file}, ... */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public int exitCode() {
        return status.exitCode;
    }

    /** Whether the run went to its end (every row tried), rather than stopping. */
    public boolean finished() {
        return status == Status.COMPLETED || status == Status.FINISHED;
    }

    public static RunOutcome of(RunResult result) {
        CampaignSummary summary = result.summary();
        Status done = summary.allGenerated() ? Status.COMPLETED : Status.FINISHED;
        if (!result.launched()) {
            return new RunOutcome(done, StopReason.NONE, summary, false);
        }
        JobExecution execution = result.execution();
        StopReason stop = StopReason.stored(execution);
        if (execution.getStatus() == BatchStatus.COMPLETED && stop.kind() == StopReason.Kind.NONE) {
            return new RunOutcome(done, stop, summary, true);
        }
        if (stop.kind() == StopReason.Kind.NONE) {
            stop = StopReason.of(execution);
        }
        Status status = switch (stop.kind()) {
            case BUDGET, CREDITS, UNREACHABLE, INTERRUPTED, RESULTS_PENDING, NOT_SAVED, DATABASE, LEASE_LOST -> Status.STOPPED;
            case REFUSED -> Status.REFUSED;
            case CAMPAIGN_FILE -> Status.CAMPAIGN_FILE;
            case NONE, INTERNAL -> Status.INTERNAL;
        };
        if (stop.kind() == StopReason.Kind.NONE && execution.getExitStatus().getExitDescription() != null
                && !execution.getExitStatus().getExitDescription().isBlank()) {
            stop = new StopReason(StopReason.Kind.INTERNAL, execution.getExitStatus().getExitDescription());
        }
        return new RunOutcome(status, stop, summary, true);
    }
}
