package io.klingbatch.ledger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * A campaign held by this run: Spring Integration's JDBC lock with a time-to-live, renewed by a thread of its own while
 * the run lives (the lock belongs to the thread that took it, so taking, renewing and releasing all happen there).
 * When the process dies, nobody renews it and it lapses within the ttl; then, and only then, may another run recover
 * what this one left STARTED.
 */
public final class Lease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    private final String key;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Boolean> taken = new CompletableFuture<>();
    private final Thread holder;
    private final Renewal renewal;
    private final Runnable onStuck;
    private volatile Consumer<String> onLost = reason -> { };

    Lease(String key, DistributedLock lock, Renewal renewal, Duration ttl, Duration renewEvery, Runnable onRelease, Runnable onStuck) {
        this.key = key;
        this.renewal = renewal;
        this.onStuck = onStuck;
        this.holder = new Thread(() -> hold(lock, ttl, renewEvery, onRelease), "kling-lease");
        this.holder.setDaemon(true);
    }

    /** Takes the lock now, or says it could not (someone else holds it). */
    boolean take() {
        holder.start();
        try {
            return taken.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** What to do if the lease cannot be renewed (the database is unreachable, or the lease was lost): stop paying. */
    public void onLost(Consumer<String> action) {
        this.onLost = action;
    }

    public String key() {
        return key;
    }

    private void hold(DistributedLock lock, Duration ttl, Duration renewEvery, Runnable onRelease) {
        try {
            if (!lock.tryLock(Duration.ZERO, ttl)) {
                taken.complete(false);
                return;
            }
        } catch (RuntimeException e) {
            taken.completeExceptionally(e);
            return;
        } catch (InterruptedException e) {
            taken.complete(false);
            return;
        }
        taken.complete(true);
        try {
            while (!released.await(renewEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                renew(lock, ttl);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                onRelease.run();
                lock.unlock();
            } catch (RuntimeException e) {
                log.warn("could not release the lease of {} (it lapses by itself): {}", key, e.getMessage());
            }
        }
    }

    private void renew(DistributedLock lock, Duration ttl) {
        try {
            renewal.renew(key, ttl);
        } catch (IllegalStateException lost) {
            onLost.accept("the campaign's lease lapsed and another run took it");
        } catch (RuntimeException e) {
            log.warn("could not renew the lease of {}: {}", key, e.getMessage());
            onLost.accept("the job repository cannot be reached (" + rootMessage(e) + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
    }

    /** Releases the campaign (the lock's row is deleted); waits briefly for that to happen. */
    @Override
    public void close() {
        released.countDown();
        try {
            holder.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (holder.isAlive()) {
            onStuck.run();
        }
    }

    /** One renewal of the lock's row: throws IllegalStateException when the lock is no longer ours. */
    @FunctionalInterface
    interface Renewal {
        void renew(String key, Duration ttl);
    }
}
