package io.klingbatch.segmind;

/**
 * Root of everything the Segmind client can throw. Subtypes say what the caller must do, not what went
 * wrong on the wire: {@link RetryableException} (the client retries it), {@link RowFailedException} (this
 * video failed, the run goes on), {@link UncertainException} (the API may have charged: do not resend),
 * {@link CreditsExhaustedException} (stop, restartable after a top-up) and {@link ApiRefusedException}
 * (stop: nothing more can succeed). Status codes become subtypes in one place: {@link ErrorMapper}.
 */
public abstract class SegmindException extends RuntimeException {

    private final int status;
    private int attempts;

    protected SegmindException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status behind this error, or 0 when there was no response. */
    public int status() {
        return status;
    }

    /** How many paid-call attempts were made for the video before this error. */
    public int attempts() {
        return attempts;
    }

    SegmindException attempts(int count) {
        this.attempts = count;
        return this;
    }
}
