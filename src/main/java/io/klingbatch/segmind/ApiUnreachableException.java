package io.klingbatch.segmind;

/**
 * No connection to the API, attempt after attempt (network down, DNS failing, nothing listening): every other row
 * would fail the same way, so the run stops, restartable, instead of marking the whole campaign FAILED.
 */
public class ApiUnreachableException extends SegmindException {

    public ApiUnreachableException(String message, Throwable cause) {
        super(message, 0, cause);
    }

    @Override
    ApiUnreachableException attempts(int count) {
        super.attempts(count);
        return this;
    }
}
