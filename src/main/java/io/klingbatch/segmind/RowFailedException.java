package io.klingbatch.segmind;

/** This video failed and was not billed (another 4xx, a 422 FAILED task, or retries used up): record why, go on with the run. */
public class RowFailedException extends SegmindException {

    public RowFailedException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    public RowFailedException(String message, int status) {
        this(message, status, null);
    }
}
