package io.klingbatch.generation;

import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.PaidLog;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.money.Budget;
import io.klingbatch.money.PriceBook;
import io.klingbatch.output.Placement;
import io.klingbatch.output.VideoFiles;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.SegmindClient;
import io.klingbatch.segmind.SegmindException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInterruptedException;

/**
 * What the workers of one run share: one client (one connection pool, one rate gate), the campaign's budget and price
 * book, its output folder, the collector of v2 results, and the run's single stop door. Credits gone, the budget
 * reached, a signal, a full disk, the database gone: whoever sees it first records it here, and no worker starts
 * another call after that.
 */
public final class RunSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunSession.class);

    private final CampaignRun run;
    private final long executionId;
    private final String holder;
    private final SegmindClient client;
    private final Budget budget;
    private final VideoFiles files;
    private final Ledger ledger;
    private final RunProgress progress;
    private final ResultCollector collector;
    private final java.util.function.Predicate<String> holderAlive;
    private final java.time.Clock clock;
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private final AtomicInteger onWire = new AtomicInteger();
    private volatile boolean abandoned;
    private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RunSession(CampaignRun run, long executionId, String holder, java.util.function.Predicate<String> holderAlive, SegmindClient client,
               Budget budget, VideoFiles files, Ledger ledger, RunProgress progress, java.time.Clock clock,
               Function<RunSession, ResultCollector> collector) {
        this.holderAlive = holderAlive;
        this.clock = clock;
        this.run = run;
        this.executionId = executionId;
        this.holder = holder;
        this.client = client;
        this.budget = budget;
        this.files = files;
        this.ledger = ledger;
        this.progress = progress;
        this.collector = collector.apply(this);
    }

    public CampaignRun run() {
        return run;
    }

    long executionId() {
        return executionId;
    }

    String holder() {
        return holder;
    }

    /** Whether the process that claimed a video (by its lease client id) still holds a live lease. */
    boolean leasesAlive(String holderId) {
        return holderAlive.test(holderId);
    }

    public SegmindClient client() {
        return client;
    }

    Budget budget() {
        return budget;
    }

    PriceBook prices() {
        return budget.prices();
    }

    public VideoFiles files() {
        return files;
    }

    Ledger ledger() {
        return ledger;
    }

    RunProgress progress() {
        return progress;
    }

    ResultCollector collector() {
        return collector;
    }

    /** Records why the run must stop; the first reason wins. */
    public void stop(StopReason reason) {
        if (stop.compareAndSet(null, reason)) {
            log.info("run {} of {} stops: {} {}", executionId, run.campaign().name(), reason.kind(), reason.message());
        }
    }

    /** Why the run must stop, or null while it may go on. */
    public StopReason stopReason() {
        return stop.get();
    }

    public boolean stopping() {
        return stop.get() != null;
    }

    /**
     * Whether a call that already reserved its price may still go on the wire: after the budget was reached by another
     * worker it may (it was within the budget); after anything else (a signal, credits, the disk, the database) it may not.
     */
    boolean maySend() {
        StopReason reason = stop.get();
        return !abandoned && (reason == null || reason.kind() == StopReason.Kind.BUDGET);
    }

    /**
     * Throws once the run must stop, so a worker starts no other call: restartably (STOPPED) for every reason but a
     * refused key, which fails the run (nothing more can succeed until it is fixed).
     */
    void checkStop() throws JobInterruptedException {
        StopReason reason = stop.get();
        if (reason == null) {
            return;
        }
        if (reason.kind() == StopReason.Kind.REFUSED) {
            throw new ApiRefusedException(reason.message(), 0, null);
        }
        throw new RunStoppedException(reason);
    }

    /** Stops the run for an error a call ended with (credits, refused key, unreachable API). */
    void stop(SegmindException error) {
        StopReason reason = StopReason.from(error);
        stop(reason != null ? reason : new StopReason(StopReason.Kind.INTERNAL, error.getMessage()));
    }

    /** Paid requests on the wire now (v1 calls, v2 submits, result downloads): what a graceful stop waits for. */
    public int onWire() {
        return onWire.get();
    }

    void wireStarted() {
        onWire.incrementAndGet();
    }

    void wireEnded() {
        onWire.decrementAndGet();
    }

    /**
     * Abandons every call on the wire (a second Ctrl-C, or the shutdown grace ran out): their connections close and
     * they end UNCERTAIN; v2 requests stay SUBMITTED for the next run, which collects them without paying again.
     */
    public void abandon() {
        abandoned = true;
        client.abandon();
        collector.abandon();
    }

    boolean abandoned() {
        return abandoned;
    }

    /**
     * Whether waiting for v2 results still makes sense: they are paid, so a run stopped for credits or its budget still
     * collects them; not after a signal (a stop waits for nothing: they are safe in the ledger), nor when they could not
     * be saved or recorded, nor once abandoned.
     */
    boolean mayCollect() {
        StopReason reason = stop.get();
        return !abandoned && (reason == null || switch (reason.kind()) {
            case CREDITS, BUDGET, RESULTS_PENDING -> true;
            default -> false;
        });
    }

    /** Whether videos made earlier may still be copied into the folder (not when the disk or the database is failing). */
    boolean mayPlace() {
        StopReason reason = stop.get();
        return reason == null || switch (reason.kind()) {
            case NOT_SAVED, DATABASE, INTERRUPTED -> false;
            default -> true;
        };
    }

    /** Rows whose video this run already reported, so the final pass over the campaign does not say it twice. */
    boolean firstReport(String rowId) {
        return reported.add(rowId.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A video the ledger does not know (or left SENT by a dead run) that this output folder's own log knows, intact:
     * taken back into the ledger as PAID. Also finds a later take than the ledger knows.
     */
    Optional<LedgerEntry> recoverFromFolder(VideoKey key, String rowId) {
        Optional<PaidLog.Record> found = files.find(key);
        if (found.isEmpty()) {
            Optional<PaidLog.Record> submitted = files.submission(key);
            if (submitted.isPresent()) { // v2: submitted, the database never told: polled, never paid again
                PaidLog.Record record = submitted.get();
                ledger.recoverSubmitted(key, client.resume(record.requestId(), record.statusUrl(), record.responseUrl()),
                        record.campaign() == null ? run.campaign().name() : record.campaign(), rowId);
                return ledger.find(key);
            }
            return Optional.empty();
        }
        PaidLog.Record record = found.get();
        ledger.paid(key, files.saved(record), files.host(),
                new io.klingbatch.segmind.Billing(record.cost(), record.remainingCredits(), record.requestId()),
                record.campaign() == null ? run.campaign().name() : record.campaign(), rowId);
        return ledger.find(key);
    }

    /** Puts a paid video under a row's name, with its {@code <name>.json}, and says what happened. */
    Placement place(String name, VideoFor video, LedgerEntry paid) {
        return place(name, video, paid, false);
    }

    /** @param quietWhenInPlace say nothing of a video already in place (the final pass over the campaign) */
    Placement place(String name, VideoFor video, LedgerEntry paid, boolean quietWhenInPlace) {
        Placement placement = files.place(name, paid);
        if (placement.kind() == Placement.Kind.COPIED || placement.kind() == Placement.Kind.IN_PLACE && !files.hasMetadata(name)) {
            files.writeMetadata(name, video.madeEarlier(paid));
        }
        boolean news = placement.kind() != Placement.Kind.IN_PLACE || !quietWhenInPlace;
        if (news && firstReport(name)) {
            progress.reused(name, video.row(), placement);
        }
        return placement;
    }

    /** Writes the {@code <name>.json} of a video paid for now. */
    void describe(String name, VideoFor video, io.klingbatch.ledger.SavedVideo saved, io.klingbatch.segmind.Billing billing) {
        files.writeMetadata(name, video.paid(saved, billing, clock.instant()));
    }

    /** The account's balance now, or null when it cannot be read (for learning a price from its change). */
    BigDecimal balance() {
        try {
            return client.credits();
        } catch (RuntimeException e) {
            log.info("could not read the balance: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        collector.close();
        client.close();
    }
}
