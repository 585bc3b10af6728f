package io.klingbatch.generation;

import io.klingbatch.segmind.SegmindException;
import org.springframework.batch.core.job.JobInterruptedException;

/**
 * Stops the step as STOPPED (restartable), not FAILED: Spring Batch treats a {@link JobInterruptedException}
 * that way. Thrown when credits run out; the chunk rolls back, so the reader resumes at the first row that was
 * not finished, and the ledger keeps every payment already made.
 */
public class RunStoppedException extends JobInterruptedException {

    public RunStoppedException(SegmindException cause) {
        super(cause.getMessage());
        initCause(cause);
    }
}
