package io.klingbatch.generation;

import org.springframework.batch.core.job.JobInterruptedException;

/**
 * Stops a step as STOPPED (restartable), not FAILED: Spring Batch treats a {@link JobInterruptedException} that way.
 * Thrown by a worker before its next call once its run must stop; the chunk rolls back, so the reader resumes at the
 * first row that was not finished, and the ledger keeps every payment already made.
 */
public class RunStoppedException extends JobInterruptedException {

    private final transient StopReason reason;

    public RunStoppedException(StopReason reason) {
        super(reason.message() == null ? reason.kind().name() : reason.message());
        this.reason = reason;
    }

    public StopReason reason() {
        return reason;
    }
}
