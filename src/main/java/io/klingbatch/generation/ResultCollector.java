package io.klingbatch.generation;

import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.money.Budget;
import io.klingbatch.money.PriceBook;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.Billing;
import io.klingbatch.segmind.Generated;
import io.klingbatch.segmind.RateLimitedException;
import io.klingbatch.segmind.RetryableException;
import io.klingbatch.segmind.SegmindProperties;
import io.klingbatch.segmind.Submission;
import io.klingbatch.segmind.TaskStatus;
import io.klingbatch.segmind.UncertainException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Waits for a run's v2 requests: polls each one's status with a growing interval, downloads the video when it is
 * COMPLETED, records FAILED with the API's reason, and an expired request as UNCERTAIN. Two threads poll every request
 * of the run, so waiting costs no worker: workers go on submitting up to {@code max-in-flight} requests.
 *
 * <p>A request is left SUBMITTED (collected by the next run, never paid again) when the run's wait ends: after
 * {@code max-wait} (no poll waits past it, whatever a 429 says), when the run stops, or when collecting it failed in a
 * way nobody expected. A result paid for but not saved (disk full) stays SUBMITTED too: results can be fetched again
 * for an hour.
 */
final class ResultCollector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultCollector.class);

    private final RunSession session;
    private final Clock clock;
    private final SegmindProperties settings;
    private final Semaphore slots;
    private final Map<VideoKey, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "kling-poller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean abandoned;

    ResultCollector(RunSession session, Clock clock, SegmindProperties settings) {
        this.session = session;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxInFlight());
    }

    /** Blocks a worker while {@code max-in-flight} requests are already waiting; false when the run stops meanwhile. */
    boolean acquireSlot(java.util.function.BooleanSupplier stop) throws InterruptedException {
        while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (stop.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    void releaseSlot() {
        slots.release();
    }

    /** Starts collecting a request this run submitted; it owns the call's reservation and slot from now on. */
    void track(VideoKey key, PriceBook.Kind kind, VideoFor what, String name, Submission submission, Budget.Reservation reservation,
               BigDecimal balanceBefore, boolean ownsSlot) {
        start(new Pending(key, kind, what, name, submission, clock.instant(), reservation, balanceBefore, ownsSlot, true));
    }

    /**
     * Starts collecting a request an earlier run submitted and did not collect (stopped, killed, or waited too long).
     *
     * @param name    the file name it is saved under (null: the row id it was made for)
     * @param what    the row, format and take it is for now (null: a row no longer in the CSV)
     * @param current whether it is that row's video now: saved as {@code <name>.mp4} then, else beside it
     */
    void adopt(LedgerEntry stored, String name, VideoFor what, boolean current) {
        if (pending.containsKey(stored.key()) || stored.state() != LedgerState.SUBMITTED || stored.requestId() == null) {
            return;
        }
        Submission submission = session.client().resume(stored.requestId(), stored.statusUrl(), stored.responseUrl());
        VideoFor known = what != null ? what : new VideoFor(session.run().campaign().name(), 0, String.valueOf(stored.rowId()), null,
                stored.key().take(), null);
        start(new Pending(stored.key(), new PriceBook.Kind(stored.mode(), stored.duration()), known,
                name == null ? String.valueOf(stored.rowId()) : name, submission,
                stored.submittedAt() == null ? clock.instant() : stored.submittedAt(), null, null, false, current));
    }

    private void start(Pending item) {
        if (pending.putIfAbsent(item.key, item) == null) {
            schedule(item, settings.pollInterval());
        } else if (item.reservation != null) {
            session.budget().release(item.reservation); // already being collected
            if (item.ownsSlot) {
                slots.release();
            }
        }
    }

    /** Requests waiting for their result now. */
    int waiting() {
        return pending.size();
    }

    /**
     * Waits until every request is collected, or the run stops (a stop needs no wait: SUBMITTED requests are safe in the
     * ledger), or {@code limit} passes. Returns how many are still being made: they stay SUBMITTED for the next run.
     */
    int awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (pending) {
            while (!pending.isEmpty() && session.mayCollect() && System.nanoTime() < deadline) {
                pending.wait(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
            return pending.size();
        }
    }

    private void schedule(Pending pendingItem, Duration delay) {
        if (abandoned || pollers.isShutdown()) {
            leave(pendingItem, "the run was stopped");
            return;
        }
        Duration left = settings.maxWait().minusNanos(System.nanoTime() - pendingItem.startedNanos);
        Duration wait = delay.compareTo(left) > 0 ? (left.isNegative() ? Duration.ZERO : left) : delay;
        pendingItem.nextDelay = delay;
        try {
            pollers.schedule(() -> poll(pendingItem), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            leave(pendingItem, "the run was stopped");
        }
    }

    /** Never throws: whatever happens, the request is either collected, scheduled again, or left for the next run. */
    private void poll(Pending item) {
        try {
            if (!session.mayCollect()) {
                leave(item, "the run is stopping");
                return;
            }
            if (System.nanoTime() - item.startedNanos >= settings.maxWait().toNanos()) {
                leave(item, "no result after " + settings.maxWait().toMinutes() + " minutes");
                return;
            }
            TaskStatus status = session.client().poll(item.submission);
            switch (status.state()) {
                case QUEUED, PROCESSING -> schedule(item, longer(item.nextDelay));
                case COMPLETED -> download(item);
                case FAILED -> {
                    session.ledger().failed(item.key, "the API reports the generation FAILED: " + status.error(),
                            io.klingbatch.ledger.Ledger.Expect.submitted());
                    if (item.reservation != null) {
                        session.budget().release(item.reservation);
                    }
                    session.progress().failed(item.name, item.row, "FAILED at the API: " + status.error());
                    done(item);
                }
                case GONE -> {
                    if (++item.notFound < 3 && Duration.between(item.submittedAt, clock.instant()).compareTo(settings.resultRetention()) <= 0) {
                        schedule(item, longer(item.nextDelay)); // young requests can be unknown for a moment; ask again
                    } else {
                        gone(item, status.error());
                    }
                }
            }
        } catch (RateLimitedException e) {
            Instant reset = e.resetAt();
            schedule(item, reset == null ? longer(item.nextDelay) : Duration.between(clock.instant(), reset).plusMillis(10));
        } catch (RetryableException e) {
            schedule(item, longer(item.nextDelay));
        } catch (ApiRefusedException e) {
            session.stop(e);
            leave(item, e.getMessage());
        } catch (DataAccessException e) {
            session.stop(StopReason.from(e));
            leave(item, "the job repository cannot be reached");
        } catch (RuntimeException | Error e) {
            log.error("collecting request {} failed; it stays SUBMITTED for the next run", item.submission.requestId(), e);
            leave(item, e.getMessage());
        }
    }

    private void download(Pending item) {
        Generated<SavedVideo> result;
        session.wireStarted();
        try {
            result = session.client().fetch(item.submission, session.files().sinkFor(item.key, item.name, item.current));
        } catch (UncertainException e) {
            gone(item, e.getMessage());
            return;
        } catch (RetryableException e) {
            schedule(item, longer(item.nextDelay));
            return;
        } catch (UncheckedIOException notSaved) {
            // paid, not saved: it stays SUBMITTED, and the next run downloads it again (results are kept an hour)
            session.stop(NotSaved.reason(session.files(), notSaved, 1));
            leave(item, "could not be saved: " + notSaved.getCause().getMessage());
            return;
        } finally {
            session.wireEnded();
        }
        Billing billing = result.billing();
        BigDecimal cost = billing.cost();
        session.files().recordPaid(result.video(), item.key, billing, session.run().campaign().name());
        session.ledger().paid(item.key, result.video(), session.files().host(), billing, session.run().campaign().name(), item.rowId);
        session.describe(item.name, item.what, result.video(), billing);
        if (cost == null && item.balanceBefore != null) {
            BigDecimal after = billing.remainingCredits() != null ? billing.remainingCredits() : session.balance();
            if (after != null && item.balanceBefore.subtract(after).signum() > 0) {
                cost = item.balanceBefore.subtract(after);
                session.ledger().cost(item.key, cost);
            }
        }
        session.progress().paid(cost != null ? cost : item.reservation == null ? null : item.reservation.amount(), billing.remainingCredits());
        if (item.reservation != null) {
            session.budget().settle(item.reservation, cost);
        } else {
            session.prices().learn(item.kind, cost);
        }
        if (item.current) {
            session.firstReport(item.name);
            session.progress().generated(item.name, item.row, result.video());
        }
        done(item);
    }

    /** The API no longer has the result: expired (older than the retention) or never known. It may have been paid. */
    private void gone(Pending item, String why) {
        if (session.files().find(item.key).isPresent()) { // saved before, only the database did not hear of it
            session.recoverFromFolder(item.key, item.rowId);
            if (item.reservation != null) {
                session.budget().settle(item.reservation, null);
            }
            done(item);
            return;
        }
        Duration age = Duration.between(item.submittedAt, clock.instant());
        String reason = age.compareTo(settings.resultRetention()) > 0
                ? "request " + item.submission.requestId() + " was submitted " + age.toMinutes() + " minutes ago and its result is gone "
                        + "(the API keeps results " + settings.resultRetention().toMinutes() + " minutes); it may have been charged"
                : why + "; it may have been charged";
        session.ledger().uncertain(item.key, reason, io.klingbatch.ledger.Ledger.Expect.submitted());
        if (item.reservation != null) {
            session.budget().settle(item.reservation, null);
        }
        session.progress().uncertain(item.name, item.row, reason);
        done(item);
    }

    /** Stops waiting for a request but keeps it SUBMITTED: the next run collects it, never resends it. */
    private void leave(Pending item, String why) {
        log.info("leaving request {} of {} for the next run: {}", item.submission.requestId(), item.rowId, why);
        if (item.reservation != null) {
            session.budget().settle(item.reservation, null); // submitted means billed: it still counts against the budget
        }
        done(item);
    }

    private void done(Pending item) {
        if (item.ownsSlot) {
            slots.release();
        }
        synchronized (pending) {
            pending.remove(item.key);
            pending.notifyAll();
        }
    }

    private Duration longer(Duration delay) {
        Duration next = delay.multipliedBy(3).dividedBy(2);
        return next.compareTo(settings.maxPollInterval()) > 0 ? settings.maxPollInterval() : next;
    }

    /** No more polling: every waiting request stays SUBMITTED for the next run. */
    void abandon() {
        abandoned = true;
        synchronized (pending) {
            pending.notifyAll();
        }
    }

    @Override
    public void close() {
        pollers.shutdownNow();
    }

    private static final class Pending {
        final VideoKey key;
        final PriceBook.Kind kind;
        final String rowId;
        final String name;
        final int row;
        final VideoFor what;
        final Submission submission;
        final Instant submittedAt;
        final Budget.Reservation reservation;
        final BigDecimal balanceBefore;
        final boolean ownsSlot;
        final boolean current;
        final long startedNanos = System.nanoTime();
        volatile Duration nextDelay;
        volatile int notFound;

        Pending(VideoKey key, PriceBook.Kind kind, VideoFor what, String name, Submission submission, Instant submittedAt,
                Budget.Reservation reservation, BigDecimal balanceBefore, boolean ownsSlot, boolean current) {
            this.what = what;
            this.rowId = what.id();
            this.row = what.row();
            this.name = name;
            this.key = key;
            this.kind = kind;
            this.submission = submission;
            this.submittedAt = submittedAt;
            this.reservation = reservation;
            this.balanceBefore = balanceBefore;
            this.ownsSlot = ownsSlot;
            this.current = current;
        }
    }
}
