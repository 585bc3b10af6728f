package io.klingbatch.cli;

import io.klingbatch.generation.RunSessions;
import io.klingbatch.generation.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM while a run goes. The first: no new call starts, the calls in flight finish and their videos are
 * saved (for at most {@code kling.shutdown-grace}), the run ends STOPPED with its manifest, exit 3. The second, or the
 * grace running out: the calls in flight are abandoned (UNCERTAIN: the API may have charged them), still exit 3.
 *
 * <p>Hand-written on {@code sun.misc.Signal} (in the JDK's {@code jdk.unsupported} module, there to stay until a
 * replacement exists) because nothing else does this: a shutdown hook runs only once the JVM is already exiting, so it
 * can neither let a run finish on its own thread and choose the exit code, nor tell the first signal from the second;
 * Spring's graceful shutdown closes the context under a running job. While no run goes, the JVM's own handlers apply.
 */
final class Interrupts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Interrupts.class);
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final RunSessions sessions;
    private final Console console;
    private final Duration grace;
    private final Runnable first;
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch handled = new CountDownLatch(1);
    private final List<Restore> previous = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kling-shutdown-grace");
        thread.setDaemon(true);
        return thread;
    });

    private record Restore(Signal signal, SignalHandler handler) {
    }

    private Interrupts(RunSessions sessions, Console console, Duration grace, Runnable first) {
        this.sessions = sessions;
        this.console = console;
        this.grace = grace;
        this.first = first;
    }

    /** Handles SIGINT and SIGTERM until closed. */
    static Interrupts install(RunSessions sessions, Console console, Duration grace) {
        return install(sessions, console, grace, () -> { });
    }

    /** The same, doing {@code first} (the scheduler: start no more runs) before the runs in progress are stopped. */
    static Interrupts install(RunSessions sessions, Console console, Duration grace, Runnable first) {
        Interrupts interrupts = new Interrupts(sessions, console, grace, first);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                interrupts.previous.add(new Restore(signal, Signal.handle(signal, interrupts::handle)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.info("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        return interrupts;
    }

    /** Blocks until a first signal has been handled (the runs told to stop). */
    void awaitFirst() throws InterruptedException {
        handled.await();
    }

    /** Whether a signal arrived. */
    boolean interrupted() {
        return received.get() > 0;
    }

    private void handle(Signal signal) {
        if (received.incrementAndGet() == 1) {
            first.run();
            sessions.stopAll(new StopReason(StopReason.Kind.INTERRUPTED, "interrupted (SIG" + signal.getName() + ")"));
            int onWire = sessions.onWire();
            int waiting = sessions.waiting();
            console.say("Stopping: no new call starts. " + (onWire == 0 ? "No call is in flight."
                    : "Waiting for " + onWire + (onWire == 1 ? " call" : " calls") + " in flight to finish and save " + (onWire == 1 ? "its video" : "their videos")
                    + " (at most " + human(grace) + ").")
                    + (waiting > 0 ? " " + waiting + " v2 " + (waiting == 1 ? "request is" : "requests are") + " safe in the ledger; the next run collects them." : "")
                    + " Press Ctrl-C again to abandon the calls in flight (they would be marked UNCERTAIN).");
            try {
                timer.schedule(() -> abandon("the shutdown grace of " + human(grace) + " ran out"), grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: the run is over
            }
            handled.countDown();
        } else {
            abandon("a second signal");
        }
    }

    private void abandon(String why) {
        int onWire = sessions.onWire();
        if (onWire > 0) {
            console.say("Abandoning " + onWire + (onWire == 1 ? " call" : " calls") + " in flight (" + why + "); marked UNCERTAIN, "
                    + "since the API may have charged for " + (onWire == 1 ? "it" : "them") + ".");
        }
        sessions.abandonAll();
    }

    private static String human(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds >= 60 ? seconds / 60 + (seconds == 60 ? " minute" : " minutes") : seconds + " s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Restore restore : previous) {
            try {
                Signal.handle(restore.signal(), restore.handler());
            } catch (IllegalArgumentException ignored) {
                // nothing to restore
            }
        }
    }
}
