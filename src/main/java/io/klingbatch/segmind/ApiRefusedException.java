package io.klingbatch.segmind;

/** The API refuses every call (bad key 401, wrong URL 404/405, retired model 410, unknown host): stop at once, nothing more can succeed. */
public class ApiRefusedException extends SegmindException {

    public ApiRefusedException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    public ApiRefusedException(String message, int status) {
        this(message, status, null);
    }
}
