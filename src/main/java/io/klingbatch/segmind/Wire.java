package io.klingbatch.segmind;

/**
 * The caller's say at the moment a paid request goes on the wire, so what is recorded matches what happened: a call is
 * claimed (written as sent) only after every wait (rate limit, 429, backoff), right before its bytes leave, and given
 * back the moment an answer says nothing was billed, before any further wait.
 */
public interface Wire {

    /** Nothing to record (tests, the benchmark's baseline). */
    Wire NONE = new Wire() {
        @Override
        public boolean sending() {
            return true;
        }

        @Override
        public void notBilled(String why, boolean attempt) {
        }
    };

    /** Whether the caller no longer wants the call (its run is stopping): no wait goes on for it, nothing is sent. */
    default boolean cancelled() {
        return false;
    }

    /** Called after every wait, right before the request is sent; false: do not send (stopping, or another run took it). */
    boolean sending();

    /**
     * The answer (429, 5xx, no connection) says nothing was billed and the client will try again after a wait: give the
     * claim back first, so a process killed while waiting leaves nothing that looks paid.
     *
     * @param why     what the answer was
     * @param attempt whether it counts as an attempt (a 429 does not: it is not the request's fault)
     */
    void notBilled(String why, boolean attempt);
}
