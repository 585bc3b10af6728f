package io.klingbatch.segmind;

/** A transient failure that cost nothing (HTTP 500/502/503/504, or no connection before the request left): retried with backoff inside the client. */
public class RetryableException extends SegmindException {

    public RetryableException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    public RetryableException(String message, int status) {
        this(message, status, null);
    }
}
