package io.klingbatch.segmind;

/**
 * Where a v2 generation stands.
 *
 * @param error the API's reason for FAILED, or why the request is GONE
 */
public record TaskStatus(State state, String error) {

    public enum State {
        QUEUED, PROCESSING, COMPLETED, FAILED,
        /** The API no longer knows the request (results are kept about an hour). */
        GONE
    }

    static TaskStatus gone(String why) {
        return new TaskStatus(State.GONE, why);
    }
}
