package io.klingbatch.segmind;

/** The request may have been charged but gave no result (timeout or reset after it was fully sent, or a paid download that broke). Never resent on its own: only `--resend-uncertain` does. */
public class UncertainException extends SegmindException {

    public UncertainException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    public UncertainException(String message, int status) {
        this(message, status, null);
    }
}
