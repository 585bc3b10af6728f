package io.klingbatch.generation;

import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.money.BudgetReachedException;
import io.klingbatch.output.VideoNotSavedException;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.ApiUnreachableException;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.SegmindException;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DataAccessException;

/**
 * Why a run ended before its last video, in one place. Every way out of a run (a signal, credits, the budget, a full
 * disk, the database, a refused key, results still being made) is a reason here: the run's session records the first
 * one, the job's execution context keeps it (Spring Batch keeps only exception class names), {@code status} reads it
 * later, and the command line turns it into one sentence and one exit code. Messages never contain the API key.
 */
public record StopReason(Kind kind, String message) {

    public enum Kind {
        NONE,
        /** Out of credits or over the account's spend limit (406): top up, run again. */
        CREDITS,
        /** The campaign's --max-credits would be passed. */
        BUDGET,
        /** The API could not be reached, attempt after attempt. */
        UNREACHABLE,
        /** The API refuses every call (key, URL, retired model). */
        REFUSED,
        /** A paid video could not be saved (disk full, folder not writable). */
        NOT_SAVED,
        /** The job repository could not be reached. */
        DATABASE,
        /** Ctrl-C or SIGTERM. */
        INTERRUPTED,
        /** v2 results still being made when the run's wait ended. */
        RESULTS_PENDING,
        /** The campaign's lease lapsed and another run took it. */
        LEASE_LOST,
        CAMPAIGN_FILE,
        INTERNAL
    }

    static final String KIND = "kling.stop.kind";
    static final String MESSAGE = "kling.stop.message";
    public static final StopReason NONE = new StopReason(Kind.NONE, null);

    /** A reason that stops the run restartably (exit 3): everything but a refused key, a bad file or a bug. */
    public boolean restartable() {
        return switch (kind) {
            case CREDITS, BUDGET, UNREACHABLE, NOT_SAVED, DATABASE, INTERRUPTED, RESULTS_PENDING, LEASE_LOST -> true;
            case NONE, REFUSED, CAMPAIGN_FILE, INTERNAL -> false;
        };
    }

    /** The reason an exception means, when it is one that stops a run; null otherwise. */
    public static StopReason from(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            StopReason known = known(cause);
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    /** From the exceptions of a run that just ended, when its session recorded no reason. */
    public static StopReason of(JobExecution execution) {
        Throwable other = null;
        for (Throwable failure : execution.getAllFailureExceptions()) {
            StopReason known = from(failure);
            if (known != null) {
                return known;
            }
            other = failure;
        }
        if (other == null) {
            return NONE;
        }
        Throwable root = other;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new StopReason(Kind.INTERNAL, root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** As the run's listener stored it. */
    public static StopReason stored(JobExecution execution) {
        String kind = execution.getExecutionContext().getString(KIND, Kind.NONE.name());
        return new StopReason(Kind.valueOf(kind), execution.getExecutionContext().getString(MESSAGE, null));
    }

    public void store(JobExecution execution) {
        execution.getExecutionContext().putString(KIND, kind.name());
        if (message != null) {
            execution.getExecutionContext().putString(MESSAGE, message.length() > 1000 ? message.substring(0, 1000) : message);
        } else {
            execution.getExecutionContext().remove(MESSAGE);
        }
    }

    private static StopReason known(Throwable t) {
        if (t instanceof RunStoppedException stopped) {
            return stopped.reason();
        }
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
        if (t instanceof DataAccessException) {
            return new StopReason(Kind.DATABASE, "the job repository cannot be reached (" + firstLine(t) + ")");
        }
        if (t instanceof CampaignFileException) {
            return new StopReason(Kind.CAMPAIGN_FILE, t.getMessage());
        }
        if (t instanceof SegmindException) {
            return new StopReason(Kind.INTERNAL, t.getMessage());
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
