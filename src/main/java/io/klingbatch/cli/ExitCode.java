package io.klingbatch.cli;

/**
 * The exit codes scripts depend on. A contract: extend, never renumber.
 */
enum ExitCode {
    /** Every row generated, now or in an earlier run (for {@code validate}: every row is valid). */
    OK(0),
    /** Finished, but some rows were not generated: rejected, failed or uncertain (for {@code validate}: some rows are bad). */
    SOME_ROWS_NOT_GENERATED(1),
    /** Usage or configuration error: missing, unreadable or malformed file, no API key. */
    USAGE(2),
    /**
     * Stopped and restartable: credits ran out, the budget was reached, Ctrl-C or SIGTERM, the API or the job repository
     * unreachable, a video could not be saved, results still being made. Fix what the sentence says, run the same command.
     */
    STOPPED_RESTARTABLE(3),
    /** The API refused every call: 401 (key), 404/405 (URL). */
    REFUSED_BY_API(4),
    /** Another run holds this campaign right now (on this machine or another sharing the job repository): nothing was done. */
    CAMPAIGN_HELD(5),
    /** A bug or an unexpected failure; details in the log file. */
    INTERNAL(70);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
