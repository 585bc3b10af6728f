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
    private final AtomicReference<SegmindException> stop = new AtomicReference<>();

    RunSession(SegmindClient client, Budget budget, Function<RunSession, ResultCollector> collector) {
        this.client = client;
        this.budget = budget;
        this.collector = collector.apply(this);
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
