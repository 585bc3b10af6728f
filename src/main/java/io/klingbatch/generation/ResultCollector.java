package io.klingbatch.generation;

import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.Generated;
import io.klingbatch.segmind.RateLimitedException;
import io.klingbatch.segmind.RetryableException;
import io.klingbatch.segmind.SegmindProperties;
import io.klingbatch.segmind.Submission;
import io.klingbatch.segmind.TaskStatus;
import io.klingbatch.segmind.UncertainException;
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

/**
 * Waits for a run's v2 requests: polls each one's status with a growing interval, downloads the video when it is
 * COMPLETED, records FAILED with the API's reason, and an expired request as UNCERTAIN. Two threads poll every
 * request of the run, so waiting costs no worker: workers go on submitting up to {@code max-in-flight} requests.
 * A request that takes longer than {@code max-wait} stays SUBMITTED in the ledger for the next run to collect.
 */
final class ResultCollector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultCollector.class);

    private final RunSession session;
    private final Ledger ledger;
    private final VideoStore store;
    private final RunProgress progress;
    private final Clock clock;
    private final SegmindProperties settings;
    private final Semaphore inFlight;
    private final Map<VideoKey, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "kling-poller");
        thread.setDaemon(true);
        return thread;
    });

    ResultCollector(RunSession session, Ledger ledger, VideoStore store, RunProgress progress, Clock clock, SegmindProperties settings) {
        this.session = session;
        this.ledger = ledger;
        this.store = store;
        this.progress = progress;
        this.clock = clock;
        this.settings = settings;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    /** Blocks a worker while {@code max-in-flight} requests are already waiting. */
    void acquireSlot() throws InterruptedException {
        inFlight.acquire();
    }

    void releaseSlot() {
        inFlight.release();
    }

    /** Starts collecting a request this run submitted (its slot is released when it is done). */
    void track(VideoKey key, String id, int row, Submission submission, BigDecimal estimate, int attempts) {
        start(new Pending(key, id, row, submission, clock.instant(), estimate, attempts, true));
    }

    /** Starts collecting a request an earlier run submitted and did not collect (stopped, killed, or waited too long). */
    void adopt(LedgerEntry stored) {
        if (pending.containsKey(stored.key())) {
            return;
        }
        LedgerEntry entry = ledger.find(stored.key()).orElse(null);
        if (entry == null || entry.state() != LedgerState.SUBMITTED || entry.requestId() == null) {
            return; // collected meanwhile, or never accepted
        }
        Submission submission = session.client().resume(entry.requestId(), entry.statusUrl(), entry.responseUrl());
        start(new Pending(entry.key(), entry.key().videoId(), 0, submission,
                entry.submittedAt() == null ? clock.instant() : entry.submittedAt(), BigDecimal.ZERO, 0, false));
    }

    private void start(Pending item) {
        if (pending.putIfAbsent(item.key, item) == null) {
            schedule(item, settings.pollInterval());
        }
    }

    /** Waits until every request is collected or left for the next run. */
    void awaitIdle() throws InterruptedException {
        synchronized (pending) {
            while (!pending.isEmpty()) {
                pending.wait(1000);
            }
        }
    }

    private void schedule(Pending item, Duration delay) {
        item.nextDelay = delay;
        pollers.schedule(() -> poll(item), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll(Pending item) {
        try {
            if (session.stopReason() instanceof ApiRefusedException) {
                leave(item, "the API refused the key while waiting");
                return;
            }
            if (System.nanoTime() - item.startedNanos > settings.maxWait().toNanos()) {
                leave(item, "no result after " + settings.maxWait().toMinutes() + " minutes");
                return;
            }
            TaskStatus status = session.client().poll(item.submission);
            switch (status.state()) {
                case QUEUED, PROCESSING -> schedule(item, longer(item.nextDelay));
                case COMPLETED -> download(item);
                case FAILED -> {
                    ledger.failed(item.key, item.attempts, "the API reports the generation FAILED: " + status.error());
                    session.budget().release(item.estimate);
                    progress.failed(item.id, item.row, "FAILED at the API: " + status.error());
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
        } catch (RuntimeException e) {
            log.error("collecting request {} failed; it stays SUBMITTED for the next run", item.submission.requestId(), e);
            leave(item, e.getMessage());
        }
    }

    private void download(Pending item) {
        try {
            Generated<StoredVideo> result = session.client().fetch(item.submission, store.sinkFor(item.key));
            session.recordPaid(item.key, 0, result.video(), result.billing());
            session.budget().settle(item.estimate, result.billing().cost());
            progress.generated(item.id, item.row, result.video());
            done(item);
        } catch (UncertainException e) {
            gone(item, e.getMessage());
        } catch (RetryableException e) {
            schedule(item, longer(item.nextDelay));
        }
    }

    /** The API no longer has the result: expired (older than the retention) or never known. It may have been paid. */
    private void gone(Pending item, String why) {
        Duration age = Duration.between(item.submittedAt, clock.instant());
        String reason = age.compareTo(settings.resultRetention()) > 0
                ? "request " + item.submission.requestId() + " was submitted " + age.toMinutes() + " minutes ago and its result is gone "
                        + "(the API keeps results " + settings.resultRetention().toMinutes() + " minutes); it may have been charged"
                : why + "; it may have been charged";
        ledger.uncertain(item.key, 0, reason);
        session.budget().settle(item.estimate, null);
        progress.uncertain(item.id, item.row, reason);
        done(item);
    }

    /** Stops waiting for a request but keeps it SUBMITTED: the next run collects it, never resends it. */
    private void leave(Pending item, String why) {
        log.warn("leaving request {} of {} for the next run: {}", item.submission.requestId(), item.id, why);
        session.budget().settle(item.estimate, null); // submitted means billed: it still counts against the budget
        done(item);
    }

    private void done(Pending item) {
        if (item.ownsSlot) {
            inFlight.release();
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

    @Override
    public void close() {
        pollers.shutdownNow();
    }

    private static final class Pending {
        final VideoKey key;
        final String id;
        final int row;
        final Submission submission;
        final Instant submittedAt;
        final BigDecimal estimate;
        final int attempts;
        final boolean ownsSlot;
        final long startedNanos = System.nanoTime();
        volatile Duration nextDelay;
        volatile int notFound;

        Pending(VideoKey key, String id, int row, Submission submission, Instant submittedAt, BigDecimal estimate, int attempts, boolean ownsSlot) {
            this.key = key;
            this.id = id;
            this.row = row;
            this.submission = submission;
            this.submittedAt = submittedAt;
            this.estimate = estimate;
            this.attempts = attempts;
            this.ownsSlot = ownsSlot;
        }
    }
}
