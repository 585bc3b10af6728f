package io.klingbatch.output;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.FirstRows;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.Leases;
import io.klingbatch.ledger.Takes;
import io.klingbatch.money.CostEstimate;
import io.klingbatch.money.PriceBook;
import io.klingbatch.money.Prices;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.FanOut;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.request.VideoSpec;
import io.klingbatch.segmind.SegmindProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The one place that knows a campaign's state: the CSV (what should exist, which rows are rejected) joined with the
 * ledger (which videos exist, wherever they were paid for) and the output folder (which of them are here). The
 * manifest, the end-of-run summary, {@code status} and the estimate before a run all come from here, so they cannot
 * disagree.
 */
@Component
public class CampaignReporter {

    private static final int BATCH = 1000;

    private final CampaignChecks checks;
    private final Ledger ledger;
    private final Leases leases;
    private final Prices prices;
    private final SegmindProperties segmind;

    private final boolean readsLedger;

    @org.springframework.beans.factory.annotation.Autowired
    CampaignReporter(CampaignChecks checks, Ledger ledger, Leases leases, Prices prices, SegmindProperties segmind) {
        this(checks, ledger, leases, prices, segmind, true);
    }

    private CampaignReporter(CampaignChecks checks, Ledger ledger, Leases leases, Prices prices, SegmindProperties segmind, boolean readsLedger) {
        this.checks = checks;
        this.ledger = ledger;
        this.leases = leases;
        this.prices = prices;
        this.segmind = segmind;
        this.readsLedger = readsLedger;
    }

    /**
     * The same reporter for a job repository that does not exist (yet) or is of an older version, which {@code validate}
     * must neither create nor migrate: every video counts as never made, at the configured prices.
     */
    public CampaignReporter withoutLedger() {
        return new CampaignReporter(checks, ledger, leases, prices, segmind, false);
    }

    /** A checked row and the videos it stands for (none for a rejected row). */
    public record RowState(CheckedRow checked, List<VideoState> videos) {

        /** The row's request in its own aspect ratio, or null for a rejected row. */
        public VideoRequest request() {
            return checked instanceof CheckedRow.Accepted accepted ? accepted.request() : null;
        }

        /** The ledger line of the row's first video, or null. */
        public LedgerEntry video() {
            return videos.isEmpty() ? null : videos.get(0).video();
        }
    }

    /**
     * One video of a row: a format, a take, its ledger line (null when it was never sent) and its file name without
     * extension.
     */
    public record VideoState(VideoSpec spec, int take, LedgerEntry video, String name) {
    }

    /**
     * Every row in CSV order with its videos, in constant memory but for a batch: rows are checked, then their videos
     * looked up a thousand rows at a time.
     *
     * @return the header's unknown columns
     */
    public List<String> walk(Campaign campaign, String endpoint, Consumer<RowState> each) {
        List<CheckedRow> batch = new ArrayList<>(BATCH);
        int takes = campaign.videos().takes();
        List<String> unknown = checks.scan(campaign, checked -> {
            batch.add(checked);
            if (batch.size() == BATCH) {
                flush(batch, endpoint, takes, each);
            }
        });
        flush(batch, endpoint, takes, each);
        return unknown;
    }

    private void flush(List<CheckedRow> batch, String endpoint, int takes, Consumer<RowState> each) {
        Set<String> hashes = new HashSet<>();
        for (CheckedRow row : batch) {
            if (row instanceof CheckedRow.Accepted accepted) {
                accepted.videos().forEach(video -> hashes.add(video.request().fingerprint()));
            }
        }
        Map<String, List<LedgerEntry>> known = hashes.isEmpty() || !readsLedger ? Map.of() : ledger.takes(endpoint, hashes);
        for (CheckedRow row : batch) {
            List<VideoState> videos = new ArrayList<>();
            if (row instanceof CheckedRow.Accepted accepted) {
                for (VideoSpec spec : accepted.videos()) {
                    for (Takes.Take take : Takes.wanted(known.getOrDefault(spec.request().fingerprint(), List.of()), takes)) {
                        videos.add(new VideoState(spec, take.take(), take.video(), spec.name(take.take(), takes)));
                    }
                }
            }
            each.accept(new RowState(row, List.copyOf(videos)));
        }
        batch.clear();
    }

    /**
     * What the videos a run would still pay for should cost, and how many of them, in CSV order, a balance covers (null
     * for no balance). A request shared by several rows is counted once.
     */
    public CostEstimate estimate(Campaign campaign, String endpoint, BigDecimal balance) {
        return estimate(campaign, endpoint, balance, List.of());
    }

    /** @param remake ids of rows a {@code --remake} will order one new take of (each format's): their price counts too */
    public CostEstimate estimate(Campaign campaign, String endpoint, BigDecimal balance, List<String> remake) {
        EstimateTally estimate = new EstimateTally(endpoint, balance, new FirstRows(campaign.expectedRows()), remake);
        walk(campaign, endpoint, estimate);
        return estimate.estimate();
    }

    /** What a run would do: how many videos it would copy from earlier ones, and how many it would pay for. */
    public Plan plan(Campaign campaign, String endpoint, boolean resendUncertain) {
        return plan(campaign, endpoint, resendUncertain, List.of());
    }

    /** @param remake ids of rows a {@code --remake} will order one new take of (each format's) */
    public Plan plan(Campaign campaign, String endpoint, boolean resendUncertain, List<String> remake) {
        PlanTally plan = new PlanTally(campaign, resendUncertain, remake, new FirstRows(campaign.expectedRows()));
        walk(campaign, endpoint, plan);
        return plan.plan();
    }

    /**
     * {@code validate}'s reading: every row's state to {@code each}, with the row that first asked for the same video
     * (0 for none), and the plan and the estimate of a run, from one reading of the file and one table of the videos
     * asked for (a million rows: read once, not three times, in one table of some 25 MB, not three).
     */
    public Outlook outlook(Campaign campaign, String endpoint, java.util.function.ObjIntConsumer<RowState> each) {
        FirstRows videos = new FirstRows(campaign.expectedRows());
        PlanTally plan = new PlanTally(campaign, false, List.of(), videos);
        EstimateTally estimate = new EstimateTally(endpoint, null, videos, List.of());
        List<String> unknown = walk(campaign, endpoint, state -> {
            int row = state.checked().row().row();
            int first = state.videos().isEmpty() ? 0 : videos.putIfAbsent(state.videos().get(0).spec().request().fingerprint(),
                    state.videos().get(0).take(), row);
            each.accept(state, first == row ? 0 : first);
            plan.accept(state);
            estimate.accept(state);
        });
        return new Outlook(plan.plan(), estimate.estimate(), unknown);
    }

    /** A run's plan and estimate, and the header's unknown columns. */
    public record Outlook(Plan plan, CostEstimate estimate, List<String> unknownColumns) {
    }

    /**
     * This reporter when the ledger of {@code endpoint} can be read, else {@link #withoutLedger()}: a job repository
     * that does not exist yet, or one of an earlier version, which {@code validate} must neither create nor migrate.
     */
    public CampaignReporter readingLedgerIfThere(String endpoint) {
        try {
            ledger.takes(endpoint, List.of(""));
            return this;
        } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException none) {
            return withoutLedger();
        }
    }

    /**
     * Whether this row is the first to ask for this video (a request shared by several rows is paid once). A row asking
     * again in another tally sharing the table is still the first: the table keeps the first row. So one row must never
     * hold the same video (request and take) twice; {@code FanOut} makes each of a row's formats and takes once.
     */
    private static boolean firstAsking(FirstRows videos, VideoState video, RowState state) {
        int row = state.checked().row().row();
        int first = videos.putIfAbsent(video.spec().request().fingerprint(), video.take(), row);
        return first == 0 || first == row;
    }

    /** Counts what a run would do with each row, as {@link #walk} hands them over. */
    private static final class PlanTally implements Consumer<RowState> {

        private final FanOut fanOut;
        private final boolean resendUncertain;
        private final Set<String> remade = new HashSet<>();
        private final FirstRows videos;
        private final int[] counts = new int[8];

        /** @param videos the videos asked for so far and the row that asked first: may be shared with an {@link EstimateTally} */
        PlanTally(Campaign campaign, boolean resendUncertain, List<String> remake, FirstRows videos) {
            this.videos = videos;
            this.fanOut = new FanOut(campaign.videos());
            this.resendUncertain = resendUncertain;
            remake.forEach(id -> remade.add(id.strip().toLowerCase(java.util.Locale.ROOT)));
        }

        @Override
        public void accept(RowState state) {
            counts[0]++;
            if (state.request() == null) {
                counts[1]++;
                return;
            }
            if (fanOut.imageInsteadOfFormats(state.checked())) {
                counts[7]++;
            }
            if (remade.contains(state.checked().row().id().toLowerCase(java.util.Locale.ROOT))) {
                counts[3] += newTakes(state).size();
            }
            for (VideoState videoState : state.videos()) {
                LedgerEntry video = videoState.video();
                LedgerState current = video == null ? null : video.state();
                boolean send = toSend(video) || resendUncertain && current == LedgerState.UNCERTAIN;
                if (send) {
                    counts[firstAsking(videos, videoState, state) ? 3 : 4]++;
                } else if (current == LedgerState.PAID) {
                    counts[2]++;
                } else if (current == LedgerState.UNCERTAIN) {
                    counts[6]++;
                } else {
                    counts[5]++;
                }
            }
        }

        /** The videos of a remade row that get one new take: the last take of each request, when it was made (or may have been). */
        static List<VideoState> newTakes(RowState state) {
            Map<String, VideoState> last = new java.util.LinkedHashMap<>();
            state.videos().forEach(video -> last.put(video.spec().request().fingerprint(), video));
            List<VideoState> newTakes = new ArrayList<>();
            for (VideoState video : last.values()) {
                LedgerState current = video.video() == null ? null : video.video().state();
                if (current == LedgerState.PAID || current == LedgerState.UNCERTAIN) {
                    newTakes.add(video);
                }
            }
            return newTakes;
        }

        Plan plan() {
            return new Plan(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7]);
        }
    }

    /** Adds up the expected price of each video a run would still pay for. */
    private final class EstimateTally implements Consumer<RowState> {

        private final PriceBook book;
        private final BigDecimal balance;
        private final FirstRows asked;
        private final Set<String> remade = new HashSet<>();
        private BigDecimal total = BigDecimal.ZERO;
        private int videos;
        private int covered;

        EstimateTally(String endpoint, BigDecimal balance, FirstRows videos, List<String> remake) {
            this.asked = videos;
            remake.forEach(id -> remade.add(id.strip().toLowerCase(java.util.Locale.ROOT)));
            this.book = readsLedger ? prices.book(endpoint) : prices.configured();
            this.balance = balance;
        }

        @Override
        public void accept(RowState state) {
            for (VideoState video : state.videos()) {
                if (toSend(video.video()) && firstAsking(asked, video, state)) {
                    add(video.spec().request());
                }
            }
            if (state.request() != null && remade.contains(state.checked().row().id().toLowerCase(java.util.Locale.ROOT))) {
                for (VideoState video : PlanTally.newTakes(state)) { // as the plan counts them: one new take of each made video
                    add(video.spec().request());
                }
            }
        }

        private void add(VideoRequest request) {
            total = total.add(book.estimate(new PriceBook.Kind(request.mode(), request.duration())));
            videos++;
            if (balance != null && total.compareTo(balance) <= 0) {
                covered++;
            }
        }

        CostEstimate estimate() {
            return new CostEstimate(videos, total, balance == null ? videos : covered);
        }
    }

    /** The state without writing anything. */
    public CampaignSummary summarize(Campaign campaign, String endpoint, Long executionId) {
        return report(campaign, endpoint, executionId, line -> {
        });
    }

    /** Rewrites {@code <output>/manifest.csv} atomically (temp file, then rename) and returns the state. */
    public CampaignSummary writeManifest(Campaign campaign, String endpoint, Long executionId) {
        Path folder = campaign.output();
        Path manifest = folder.resolve("manifest.csv");
        Path temp = folder.resolve("manifest.csv.tmp");
        try {
            Files.createDirectories(folder);
            CampaignSummary summary;
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                 ICSVWriter csv = new CSVWriterBuilder(out).withLineEnd("\n").build()) {
                csv.writeNext(ManifestLine.COLUMNS, false);
                summary = report(campaign, endpoint, executionId, line -> csv.writeNext(line.cells(), false));
            }
            OutputFolder.replace(temp, manifest);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifest, e);
        }
    }

    /** Every manifest line in CSV order, and the summary of them. */
    public CampaignSummary report(Campaign campaign, String endpoint, Long executionId, Consumer<ManifestLine> each) {
        VideoFiles files = VideoFiles.open(campaign.output(), realEndpoint(), ledger);
        Map<VideoStatus, Integer> counts = CampaignSummary.emptyCounts();
        List<CampaignSummary.Uncertain> uncertain = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        Map<String, Boolean> alive = new HashMap<>();
        int[] tally = {0, 0, 0};
        int[] rows = {0};
        List<String> unknown = walk(campaign, endpoint, state -> {
            rows[0]++;
            for (ManifestLine line : lines(state, campaign.name(), files, holder -> alive.computeIfAbsent(holder, leases::alive))) {
                tally[0]++;
                counts.merge(line.status(), 1, Integer::sum);
                if (line.status() == VideoStatus.UNCERTAIN) {
                    uncertain.add(new CampaignSummary.Uncertain(line.id(), line.row(), line.error()));
                }
                if (line.placement() == Placement.Kind.MISSING) {
                    missing.add(line.file());
                } else if (line.placement() == Placement.Kind.ELSEWHERE) {
                    elsewhere.add(line.file());
                }
                if (line.madeFor() != null) {
                    tally[1]++;
                }
                if (line.status() == VideoStatus.PENDING && line.video() != null
                        && (line.video().state() == LedgerState.SUBMITTED || line.video().state() == LedgerState.SENT)) {
                    tally[2]++;
                }
                each.accept(line);
            }
        });
        BigDecimal lowest = executionId == null ? null : ledger.lowestBalance(executionId);
        return new CampaignSummary(rows[0], counts, ledger.spend(campaign.name(), endpoint), lowest, unknown, List.copyOf(uncertain),
                List.copyOf(missing), List.copyOf(elsewhere), tally[1], tally[2], tally[0]);
    }

    /** A row's manifest lines: one per video (format and take), or one for a rejected row. */
    private static List<ManifestLine> lines(RowState state, String campaign, VideoFiles files, java.util.function.Predicate<String> alive) {
        CheckedRow checked = state.checked();
        if (checked instanceof CheckedRow.Rejected rejected) {
            return List.of(new ManifestLine(checked.row().id(), checked.row().row(), VideoStatus.REJECTED, null, null, null, 0, null, null, null,
                    rejected.reason(), null, 0, null, checked, null, false));
        }
        List<ManifestLine> lines = new ArrayList<>(state.videos().size());
        for (VideoState video : state.videos()) {
            lines.add(line(checked, video, campaign, files, alive));
        }
        return lines;
    }

    private static ManifestLine line(CheckedRow checked, VideoState state, String campaign, VideoFiles files,
                                     java.util.function.Predicate<String> alive) {
        String id = checked.row().id();
        int row = checked.row().row();
        VideoRequest request = state.spec().request();
        String format = request.image() == null ? state.spec().format() : "image";
        LedgerEntry video = state.video();
        int take = state.take();
        if (video == null || video.state() == LedgerState.ORDERED) {
            return new ManifestLine(id, row, VideoStatus.PENDING, null, null, null, 0, null, null, null, null, format, take, null, checked,
                    video, true);
        }
        boolean ours = campaign.equals(video.campaign()) && id.equalsIgnoreCase(String.valueOf(video.rowId()));
        String madeFor = campaign.equals(video.campaign()) || video.campaign() == null ? null : video.campaign();
        return switch (video.state()) {
            case PAID -> {
                Placement placement = files.look(state.name(), video);
                BigDecimal cost = ours ? video.cost() : BigDecimal.ZERO;
                String file = placement.kind() == Placement.Kind.MISSING ? state.name() + "." + VideoFiles.extension(video.fileName())
                        : placement.fileName();
                String note = null;
                if (placement.kind() == Placement.Kind.MISSING) {
                    note = "the file is missing from the output folder; it was paid for, so it is not made again: restore it from a backup";
                } else if (placement.kind() == Placement.Kind.ELSEWHERE) {
                    file = placement.elsewhere();
                    note = "made earlier" + (video.campaign() == null ? "" : " for " + video.campaign()) + "; not in this output folder"
                            + " (not paid again)";
                }
                yield new ManifestLine(id, row, VideoStatus.GENERATED, file, video.bytes(), video.sha256(), video.attempts(), cost,
                        video.remainingCredits(), video.requestId(), note, format, take, madeFor, checked, video, false, placement.kind());
            }
            case FAILED -> new ManifestLine(id, row, VideoStatus.FAILED, null, null, null, video.attempts(), null, null, video.requestId(),
                    video.error(), format, take, null, checked, video, true);
            case UNCERTAIN -> new ManifestLine(id, row, VideoStatus.UNCERTAIN, null, null, null, video.attempts(), null, null,
                    video.requestId(), video.error(), format, take, null, checked, video, false);
            case SUBMITTED -> new ManifestLine(id, row, VideoStatus.PENDING, null, null, null, video.attempts(), null, null, video.requestId(),
                    "submitted; the result is still being made and the next run collects it (not paid again)", format, take, madeFor,
                    checked, video, false);
            case SENT -> alive.test(video.holder())
                    ? new ManifestLine(id, row, VideoStatus.PENDING, null, null, null, video.attempts(), null, null, null,
                            "being made right now by a run of " + video.campaign(), format, take, madeFor, checked, video, false)
                    : new ManifestLine(id, row, VideoStatus.UNCERTAIN, null, null, null, video.attempts(), null, null, null,
                            "a call was in flight when its run ended; the API may have charged for it", format, take, null, checked, video, false);
            case ORDERED -> throw new IllegalStateException("handled above");
        };
    }

    /** Whether a run would pay for this video: none yet, a remake ordered, or one that failed without a charge. */
    static boolean toSend(LedgerEntry video) {
        return video == null || video.state() == LedgerState.ORDERED || video.state() == LedgerState.FAILED;
    }

    private String realEndpoint() {
        return Endpoint.of(segmind.baseUrl()).id();
    }
}
