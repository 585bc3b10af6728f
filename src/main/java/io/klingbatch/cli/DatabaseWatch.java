package io.klingbatch.cli;

import io.klingbatch.generation.RunSessions;
import java.util.concurrent.TimeUnit;

/**
 * The door out when the job repository goes away in the middle of a run. The run stops starting calls at once (the
 * session's stop); the calls in flight finish and their videos are saved and written to the output folder's paid log,
 * which needs no database. Spring Batch, though, would go on trying to record its progress, connection timeout after
 * connection timeout, for minutes. So once no call is in flight (or the shutdown grace has passed: a v1 call takes
 * about two minutes), this gives the run a few seconds to end by itself, then
 * ends the process with exit 3 and a sentence naming the database. What the database did not record is recovered by
 * the next run: the execution left STARTED is recovered once its lease lapses, and the paid log tells which videos exist.
 */
final class DatabaseWatch implements AutoCloseable {

    private static final long SETTLE_MILLIS = 5_000;

    private final Thread thread;
    private final long mostMillis;
    private volatile boolean closed;

    private DatabaseWatch(RunSessions sessions, Console console, String database, java.time.Duration grace) {
        this.mostMillis = grace.toMillis();
        this.thread = new Thread(() -> watch(sessions, console, database), "kling-database-watch");
        this.thread.setDaemon(true);
    }

    /** @param grace how long the calls in flight may take to finish, as after a Ctrl-C ({@code kling.shutdown-grace}) */
    static DatabaseWatch start(RunSessions sessions, Console console, String database, java.time.Duration grace) {
        DatabaseWatch watch = new DatabaseWatch(sessions, console, database, grace);
        watch.thread.start();
        return watch;
    }

    private void watch(RunSessions sessions, Console console, String database) {
        try {
            while (!closed && !sessions.databaseLost()) {
                Thread.sleep(200);
            }
            long lost = System.nanoTime();
            while (!closed && sessions.onWire() > 0 && millisSince(lost) < mostMillis) {
                Thread.sleep(200);
            }
            long idle = System.nanoTime();
            while (!closed && millisSince(idle) < SETTLE_MILLIS) {
                Thread.sleep(200);
            }
            if (!closed) {
                console.error("Stopped: the job repository (" + database + ") cannot be reached. No new call was started; every video "
                        + "paid meanwhile is saved and recorded in the output folder's paid log, so the next run pays nothing again. "
                        + "Run the same command when the database is back.");
                Runtime.getRuntime().halt(ExitCode.STOPPED_RESTARTABLE.code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** The sentence for a job repository that cannot be reached, from the exception that said so. */
    static String sentence(String database, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        return "Stopped: the job repository (" + database + ") cannot be reached: " + Words.clause(why) + ". Nothing more was sent.";
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
