package io.klingbatch.job;

import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.generation.BudgetReachedException;
import io.klingbatch.generation.VideoNotSavedException;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.ApiUnreachableException;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.SegmindException;
import org.springframework.batch.core.job.JobExecution;

/**
 * Why a run ended before its last row, in one place: read from the live failure exceptions at the end of a run,
 * and kept in the job execution's context, since Spring Batch keeps only the class names, so that {@code status}
 * can say it later. Messages never contain the API key.
 */
public record StopReason(Kind kind, String message) {

    public enum Kind { NONE, CREDITS, BUDGET, UNREACHABLE, REFUSED, NOT_SAVED, CAMPAIGN_FILE, INTERNAL }

    static final String KIND = "kling.stop.kind";
    static final String MESSAGE = "kling.stop.message";
    public static final StopReason NONE = new StopReason(Kind.NONE, null);

    /** From the exceptions of a run that just ended. */
    public static StopReason of(JobExecution execution) {
        Throwable other = null;
        for (Throwable failure : execution.getAllFailureExceptions()) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                StopReason known = known(t);
                if (known != null) {
                    return known;
                }
                other = t;
            }
        }
        return other == null ? NONE : new StopReason(Kind.INTERNAL, other.getMessage());
    }

    /** As the run's listener stored it. */
    public static StopReason stored(JobExecution execution) {
        String kind = execution.getExecutionContext().getString(KIND, Kind.NONE.name());
        return new StopReason(Kind.valueOf(kind), execution.getExecutionContext().getString(MESSAGE, null));
    }

    void store(JobExecution execution) {
        execution.getExecutionContext().putString(KIND, kind.name());
        if (message != null) {
            execution.getExecutionContext().putString(MESSAGE, message.length() > 1000 ? message.substring(0, 1000) : message);
        }
    }

    private static StopReason known(Throwable t) {
        if (t instanceof BudgetReachedException) {
            return new StopReason(Kind.BUDGET, t.getMessage());
        }
        if (t instanceof CreditsExhaustedException) {
            return new StopReason(Kind.CREDITS, t.getMessage());
        }
        if (t instanceof ApiUnreachableException) {
            return new StopReason(Kind.UNREACHABLE, t.getMessage());
        }
        if (t instanceof ApiRefusedException) {
            return new StopReason(Kind.REFUSED, t.getMessage());
        }
        if (t instanceof VideoNotSavedException) {
            return new StopReason(Kind.NOT_SAVED, t.getMessage());
        }
        if (t instanceof CampaignFileException) {
            return new StopReason(Kind.CAMPAIGN_FILE, t.getMessage());
        }
        if (t instanceof SegmindException) {
            return new StopReason(Kind.INTERNAL, t.getMessage());
        }
        return null;
    }
}
