package io.klingbatch.generation;

import io.klingbatch.segmind.SegmindClient;
import io.klingbatch.segmind.SegmindException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What the workers of one run share: one client (so one connection pool and one rate gate for all of them), the
 * campaign's budget, the collector of v2 results, and the reason the run must stop, once any worker has found one.
 * Credits gone, the budget reached or a refused key stop every worker before its next call, not only the one that
 * saw it.
 */
public final class RunSession implements AutoCloseable {

    private final SegmindClient client;
    private final Budget budget;
    private final ResultCollector collector;
    private final Ledger ledger;
    private final PaidLog paidLog;
    private final AtomicReference<SegmindException> stop = new AtomicReference<>();

    RunSession(SegmindClient client, Budget budget, Ledger ledger, PaidLog paidLog, Function<RunSession, ResultCollector> collector) {
        this.client = client;
        this.budget = budget;
        this.ledger = ledger;
        this.paidLog = paidLog;
        this.collector = collector.apply(this);
    }

    /**
     * A paid video is recorded twice: first in the output folder's own copy of the ledger ({@link PaidLog}, a local
     * file next to the video), then in the ledger. Should the database fail here, the next run finds the video in
     * the folder's copy instead of calling it uncertain.
     */
    void recordPaid(VideoKey key, int attempts, StoredVideo video, io.klingbatch.segmind.Billing billing) {
        paidLog.append(key, video, billing);
        ledger.paid(key, attempts, video, billing);
    }

    /**
     * A version the ledger does not know but the output folder does (the database was elsewhere or is new): taken
     * back into the ledger as PAID. True when it was found, so it is not paid again.
     */
    boolean recoverPaid(VideoKey key) {
        return paidLog.find(key).map(found -> {
            ledger.paid(key, 0, found.video(), found.billing());
            return true;
        }).orElse(false);
    }

    public SegmindClient client() {
        return client;
    }

    Budget budget() {
        return budget;
    }

    ResultCollector collector() {
        return collector;
    }

    /** Records why the run must stop; the first reason wins. */
    public void stop(SegmindException reason) {
        stop.compareAndSet(null, reason);
    }

    /** Why the run must stop, or null while it may go on. */
    public SegmindException stopReason() {
        return stop.get();
    }

    @Override
    public void close() {
        collector.close();
        client.close();
    }
}
