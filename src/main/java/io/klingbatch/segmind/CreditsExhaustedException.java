package io.klingbatch.segmind;

/** HTTP 406 for credits or a spend limit: stop the run restartably; the same command continues after a top-up. */
public class CreditsExhaustedException extends SegmindException {

    public CreditsExhaustedException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    public CreditsExhaustedException(String message, int status) {
        this(message, status, null);
    }
}
