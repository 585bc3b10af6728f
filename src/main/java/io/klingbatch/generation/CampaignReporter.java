package io.klingbatch.generation;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.VideoRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The one place that knows a campaign's state: the CSV (what should exist, and which rows are rejected) joined
 * with the ledger (what was paid). The manifest, the end-of-run summary and later views all come from here, so
 * they cannot disagree.
 */
@Component
public class CampaignReporter {

    static final String[] MANIFEST_COLUMNS = {"id", "row", "status", "file", "bytes", "sha256", "attempts", "cost",
            "remaining_credits", "request_id", "error"};

    private final CampaignChecks checks;
    private final Ledger ledger;
    private final CostModel costs;

    CampaignReporter(CampaignChecks checks, Ledger ledger, CostModel costs) {
        this.checks = checks;
        this.ledger = ledger;
        this.costs = costs;
    }

    /**
     * What the rows a run would still pay for are expected to cost, and how many of them, in CSV order, a balance
     * covers (pass null for no balance).
     */
    public CostEstimate estimate(CampaignRun run, BigDecimal balance) {
        BigDecimal[] total = {BigDecimal.ZERO};
        int[] rows = {0, 0};
        walk(run, line -> {
            if (line.toSend()) {
                total[0] = total[0].add(costs.estimate(line.duration()));
                rows[0]++;
                if (balance != null && total[0].compareTo(balance) <= 0) {
                    rows[1]++;
                }
            }
        });
        return new CostEstimate(rows[0], total[0], balance == null ? rows[0] : rows[1]);
    }

    /** The state without writing anything. */
    public CampaignSummary summarize(CampaignRun run) {
        return walk(run, line -> {
        });
    }

    /** Rewrites {@code <output>/manifest.csv} atomically (temp file, then rename) and returns the state. */
    public CampaignSummary writeManifest(CampaignRun run) {
        Path folder = run.campaign().output();
        Path manifest = folder.resolve("manifest.csv");
        Path temp = folder.resolve("manifest.csv.tmp");
        try {
            Files.createDirectories(folder);
            CampaignSummary summary;
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                 ICSVWriter csv = new CSVWriterBuilder(out).withLineEnd("\n").build()) {
                csv.writeNext(MANIFEST_COLUMNS, false);
                summary = walk(run, line -> csv.writeNext(cells(line), false));
            }
            try {
                Files.move(temp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, manifest, StandardCopyOption.REPLACE_EXISTING);
            }
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifest, e);
        }
    }

    private CampaignSummary walk(CampaignRun run, Consumer<ManifestLine> each) {
        Map<String, LedgerEntry> byVersion = new HashMap<>();
        BigDecimal spent = BigDecimal.ZERO;
        LedgerEntry latestPaid = null;
        for (LedgerEntry entry : ledger.entries(run.ledgerKey(), run.simulated())) {
            byVersion.put(entry.key().videoId() + "\u0000" + entry.key().requestHash(), entry);
            if (entry.state() == LedgerState.PAID) {
                spent = entry.cost() == null ? spent : spent.add(entry.cost());
                if (entry.remainingCredits() != null
                        && (latestPaid == null || Comparator.comparing(LedgerEntry::updatedAt).compare(entry, latestPaid) > 0)) {
                    latestPaid = entry;
                }
            }
        }
        Map<VideoStatus, Integer> counts = CampaignSummary.emptyCounts();
        Set<String> uncertainReasons = new LinkedHashSet<>();
        int[] rows = {0};
        Path folder = run.campaign().output();
        List<String> missing = new ArrayList<>();
        List<String> unknown = checks.scan(run.campaign(), checked -> {
            ManifestLine line = line(checked, byVersion);
            if (line.status() == VideoStatus.GENERATED && line.file() != null && !Files.exists(folder.resolve(line.file()))) {
                missing.add(line.file());
                line = new ManifestLine(line.id(), line.row(), line.status(), line.file(), line.bytes(), line.sha256(), line.attempts(),
                        line.cost(), line.remainingCredits(), line.requestId(), "the file is missing from the output folder; it was paid "
                        + "for, so it is not made again: restore it from a backup", line.duration(), false);
            }
            rows[0]++;
            counts.merge(line.status(), 1, Integer::sum);
            if (line.status() == VideoStatus.UNCERTAIN && line.error() != null) {
                uncertainReasons.add(line.error());
            }
            each.accept(line);
        });
        return new CampaignSummary(rows[0], counts, spent, latestPaid == null ? null : latestPaid.remainingCredits(),
                unknown, List.copyOf(uncertainReasons), List.copyOf(missing));
    }

    private static ManifestLine line(CheckedRow checked, Map<String, LedgerEntry> byVersion) {
        String id = checked.row().id();
        int row = checked.row().row();
        if (checked instanceof CheckedRow.Rejected rejected) {
            return new ManifestLine(id, row, VideoStatus.REJECTED, null, null, null, 0, null, null, null, rejected.reason(), null, false);
        }
        VideoRequest request = ((CheckedRow.Accepted) checked).request();
        String duration = request.duration();
        LedgerEntry entry = byVersion.get(id + "\u0000" + request.fingerprint());
        if (entry == null) {
            return new ManifestLine(id, row, VideoStatus.PENDING, null, null, null, 0, null, null, null, null, duration, true);
        }
        return switch (entry.state()) {
            case PAID -> new ManifestLine(id, row, VideoStatus.GENERATED, entry.fileName(), entry.bytes(), entry.sha256(),
                    entry.attempts(), entry.cost(), entry.remainingCredits(), entry.requestId(), null, duration, false);
            case FAILED -> new ManifestLine(id, row, VideoStatus.FAILED, null, null, null, entry.attempts(), null, null,
                    entry.requestId(), entry.error(), duration, true);
            case UNCERTAIN -> new ManifestLine(id, row, VideoStatus.UNCERTAIN, null, null, null, entry.attempts(), null, null,
                    entry.requestId(), entry.error(), duration, false);
            case SUBMITTED -> new ManifestLine(id, row, VideoStatus.PENDING, null, null, null, entry.attempts(), null, null,
                    entry.requestId(), "submitted; the result is still being made and the next run collects it", duration, false);
            case SENT -> new ManifestLine(id, row, VideoStatus.UNCERTAIN, null, null, null, entry.attempts(), null, null,
                    entry.requestId(), "a call was in flight when the run ended; the API may have charged for it", duration, false);
        };
    }

    private static String[] cells(ManifestLine line) {
        return new String[] {line.id(), String.valueOf(line.row()), line.status().name(), text(line.file()), text(line.bytes()),
                text(line.sha256()), String.valueOf(line.attempts()), text(line.cost()), text(line.remainingCredits()),
                text(line.requestId()), text(line.error())};
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof BigDecimal number ? number.stripTrailingZeros().toPlainString() : value.toString();
    }
}
