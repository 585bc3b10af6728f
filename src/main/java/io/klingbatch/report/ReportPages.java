package io.klingbatch.report;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.Spend;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.ManifestLine;
import io.klingbatch.output.Placement;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.FieldError;
import io.klingbatch.request.ImageInput;
import io.klingbatch.request.VideoRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a campaign's manifest lines and summary into what {@code report.html} shows. No I/O, no Spring: unit-testable. */
public final class ReportPages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private ReportPages() {
    }

    /**
     * @param lines every manifest line of the campaign, in CSV order (a row may have several: formats, takes)
     * @param now   when the report is written
     * @param zone  the zone times are shown in
     */
    public static ReportPage build(Campaign campaign, String endpoint, CampaignSummary summary, List<ManifestLine> lines, Instant now,
                                   ZoneId zone) {
        Map<String, List<ManifestLine>> byRow = new LinkedHashMap<>();
        List<ReportPage.Problem> problems = new ArrayList<>();
        for (ManifestLine line : lines) {
            if (line.status() == VideoStatus.GENERATED) {
                byRow.computeIfAbsent(line.id().toLowerCase(Locale.ROOT), id -> new ArrayList<>()).add(line);
            } else {
                problems.add(problem(line));
            }
        }
        List<ReportPage.Group> groups = new ArrayList<>();
        for (List<ManifestLine> row : byRow.values()) {
            ManifestLine first = row.get(0);
            List<ReportPage.Tile> tiles = row.stream().map(line -> tile(campaign, line, zone)).toList();
            Set<String> statuses = tiles.stream().map(ReportPage.Tile::status).collect(Collectors.toCollection(LinkedHashSet::new));
            groups.add(new ReportPage.Group(first.id(), first.row(), first.checked().row().line(), prompt(first), tiles,
                    String.join(" ", statuses)));
        }
        List<ReportPage.Total> totals = new ArrayList<>();
        for (VideoStatus status : VideoStatus.values()) {
            totals.add(new ReportPage.Total(status.name(), status.name().charAt(0) + status.name().substring(1).toLowerCase(Locale.ROOT),
                    summary.count(status)));
        }
        return new ReportPage(campaign.name(), campaign.csv().toString(), campaign.output().toString(), new Endpoint(endpoint).toString(),
                WHEN.format(now.atZone(zone)), now.toString(), summary.rows(), totals, credits(summary), notes(summary), groups, problems);
    }

    /**
     * A file of the output folder as an address relative to the report beside it: each path segment percent-encoded
     * (only unreserved characters are left as they are), so no name can break out of the attribute or be read as a
     * scheme, query or fragment. Null for what is not a relative path inside the folder.
     */
    static String relativeSource(String file) {
        if (file == null || file.isEmpty() || file.startsWith("/") || file.startsWith("\\")) {
            return null;
        }
        StringBuilder src = new StringBuilder();
        for (String segment : file.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
            if (!src.isEmpty()) {
                src.append('/');
            }
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xFF);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                    src.append(c);
                } else {
                    src.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
        }
        return src.toString();
    }

    private static ReportPage.Tile tile(Campaign campaign, ManifestLine line, ZoneId zone) {
        VideoRequest request = line.checked() instanceof CheckedRow.Accepted accepted ? accepted.request() : null;
        LedgerEntry video = line.video();
        Placement.Kind placement = line.placement();
        String src = null;
        String note = null;
        if (placement == Placement.Kind.ELSEWHERE) {
            note = "Not in this output folder: it is at " + line.file() + ". It was made earlier and is not paid again; "
                    + "copy it here (or run the campaign on that machine) to watch it.";
        } else if (placement == Placement.Kind.MISSING) {
            note = "The file " + line.file() + " is missing from the output folder. It was paid for, so it is not made again: "
                    + "restore it from a backup.";
        } else {
            src = relativeSource(line.file());
            if (src == null) {
                note = line.file() == null ? "No file is recorded for this video." : "Not in this output folder: it is at " + line.file() + ".";
            }
        }
        String format = line.format() == null ? "" : line.format();
        String label = format.equals("image") ? "format set by the image" : format;
        if (line.take() > 1) {
            label = (label.isEmpty() ? "" : label + " · ") + "take " + line.take();
        }
        Instant made = video == null ? null : video.updatedAt() != null ? video.updatedAt() : video.createdAt();
        return new ReportPage.Tile(line.id(), line.row(), line.status().name(), src, line.file(), note, label, aspect(format),
                settings(campaign, request), cost(line), made == null ? "" : WHEN.format(made.atZone(zone)),
                made == null ? null : made.toString(), size(line.bytes()), line.requestId());
    }

    private static String aspect(String format) {
        return switch (format) {
            case "9:16" -> "tall";
            case "1:1" -> "square";
            default -> "wide";
        };
    }

    private static List<ReportPage.Fact> settings(Campaign campaign, VideoRequest request) {
        List<ReportPage.Fact> settings = new ArrayList<>();
        if (request == null) {
            return settings;
        }
        settings.add(new ReportPage.Fact("duration", request.duration() + " s"));
        settings.add(new ReportPage.Fact("mode", request.mode()));
        settings.add(new ReportPage.Fact("aspect ratio", request.image() == null ? request.aspectRatio() : request.aspectRatio() + " (the image's own is used)"));
        settings.add(new ReportPage.Fact("cfg scale", request.cfgScale().stripTrailingZeros().toPlainString()));
        settings.add(new ReportPage.Fact("negative prompt", request.negativePrompt()));
        if (request.image() instanceof ImageInput.LocalFile file) {
            Path path = file.path();
            Path folder = campaign.csvFolder();
            settings.add(new ReportPage.Fact("image", folder != null && path.startsWith(folder) ? folder.relativize(path).toString() : path.toString()));
        } else if (request.image() instanceof ImageInput.Url url) {
            settings.add(new ReportPage.Fact("image", url.url()));
        }
        return settings;
    }

    private static String cost(ManifestLine line) {
        LedgerEntry video = line.video();
        if (line.madeFor() != null) {
            return "nothing: made earlier for " + line.madeFor() + " and copied, not paid again";
        }
        if (video != null && video.rowId() != null && !line.id().equalsIgnoreCase(video.rowId())) {
            return "nothing: a copy of the video made for row " + video.rowId() + ", not paid again";
        }
        if (line.cost() != null) {
            return plain(line.cost()) + " credits";
        }
        return video == null ? "unknown" : "about " + plain(video.costOrEstimate()) + " credits (the API did not say)";
    }

    private static ReportPage.Problem problem(ManifestLine line) {
        String reason = line.error();
        String todo;
        switch (line.status()) {
            case REJECTED -> {
                Set<String> fields = new LinkedHashSet<>();
                if (line.checked() instanceof CheckedRow.Rejected rejected) {
                    rejected.errors().stream().map(FieldError::field).forEach(fields::add);
                }
                todo = "Never sent, nothing paid. Fix " + (fields.isEmpty() ? "the row" : String.join(", ", fields)) + " (line "
                        + line.checked().row().line() + " of the CSV) and run the same command: only this row is paid for.";
            }
            case FAILED -> todo = "Nothing was charged. Run the same command to try it again.";
            case UNCERTAIN -> todo = "It may have been charged without a result: check your Segmind dashboard, then run with "
                    + "--resend-uncertain to make it again.";
            default -> {
                LedgerState state = line.video() == null ? null : line.video().state();
                if (state == LedgerState.SENT) {
                    todo = "Being made right now by a running run: wait for it to end.";
                } else if (state == LedgerState.SUBMITTED) {
                    todo = "Run the same command to collect it (not paid again).";
                } else {
                    todo = "Run the same command to make it.";
                    if (reason == null) {
                        reason = "not made yet";
                    }
                }
            }
        }
        return new ReportPage.Problem(line.id(), line.row(), line.checked().row().line(), line.status().name(), reason == null ? "" : reason,
                todo, prompt(line));
    }

    private static String prompt(ManifestLine line) {
        return line.checked() instanceof CheckedRow.Accepted accepted ? accepted.request().prompt() : line.checked().row().cell("prompt");
    }

    private static List<ReportPage.Fact> credits(CampaignSummary summary) {
        Spend spend = summary.spend();
        List<ReportPage.Fact> credits = new ArrayList<>();
        credits.add(new ReportPage.Fact("spent", (spend.estimated() > 0 ? "about " : "") + plain(spend.paid())
                + (spend.paidCount() > 0 ? " (" + spend.paidCount() + (spend.paidCount() == 1 ? " video)" : " videos)") : "")));
        if (spend.possiblyCount() > 0) {
            credits.add(new ReportPage.Fact("possibly charged", "up to " + plain(spend.possibly()) + " more (" + spend.possiblyCount()
                    + " uncertain)"));
        }
        if (summary.lowestBalance() != null) {
            credits.add(new ReportPage.Fact("balance", plain(summary.lowestBalance()) + " left (the lowest the API reported in the last run)"));
        }
        return credits;
    }

    private static List<String> notes(CampaignSummary summary) {
        List<String> notes = new ArrayList<>();
        if (summary.copied() > 0) {
            notes.add(summary.copied() + (summary.copied() == 1 ? " video was" : " videos were")
                    + " made earlier for another campaign and copied here, not paid again.");
        }
        if (summary.inFlight() > 0) {
            notes.add(summary.inFlight() + (summary.inFlight() == 1 ? " video is" : " videos are")
                    + " being made right now; the next run collects them (not paid again).");
        }
        if (!summary.elsewhere().isEmpty()) {
            notes.add(summary.elsewhere().size() + (summary.elsewhere().size() == 1 ? " video is" : " videos are")
                    + " on a disk this machine cannot reach: named, not shown.");
        }
        if (!summary.missingFiles().isEmpty()) {
            notes.add(summary.missingFiles().size() + (summary.missingFiles().size() == 1 ? " video is" : " videos are")
                    + " missing from the output folder: restore from a backup (they are not paid again).");
        }
        if (!summary.unknownColumns().isEmpty()) {
            notes.add("Columns ignored: " + String.join(", ", summary.unknownColumns()) + ".");
        }
        return notes;
    }

    private static String size(Long bytes) {
        if (bytes == null) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
