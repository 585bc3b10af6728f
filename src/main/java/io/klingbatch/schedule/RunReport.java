package io.klingbatch.schedule;

import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.VideoStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one run did, for the unattended: the line {@code schedule} logs when a run ends, and the JSON body a job file's
 * {@code notify: webhook-url:} receives (from {@code run} and {@code schedule} alike). The body's shape is in the README.
 *
 * @param campaign   the campaign's name
 * @param jobFile    the job file (or CSV) the run was started from
 * @param trigger    {@code run} or {@code schedule}
 * @param outcome    how it ended
 * @param spent      credits this run spent (paid, or submitted under v2), at the API's price where it said
 * @param manifest   the manifest written at the end of the run
 * @param startedAt  when the run took the campaign
 * @param endedAt    when it ended
 * @param host       the machine it ran on
 */
public record RunReport(String campaign, Path jobFile, String trigger, RunOutcome outcome, BigDecimal spent, Path manifest, Instant startedAt,
                        Instant endedAt, String host) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * {@code campaign nightly: run ended: stopped (exit 3): out of credits; 40 of 120 rows generated, 2 rejected, 78 pending;
     * 35.2 credits spent by this run, 36.96 in all, 0.3 left; manifest /srv/out/nightly/manifest.csv}
     */
    public String line() {
        CampaignSummary summary = outcome.summary();
        StringBuilder line = new StringBuilder("campaign ").append(campaign).append(": ")
                .append(outcome.launched() ? "run ended: " : "nothing to pay for: ")
                .append(outcome.status().word()).append(" (exit ").append(outcome.exitCode()).append(")");
        if (outcome.reason().message() != null) {
            line.append(": ").append(clause(outcome.reason().message()));
        }
        List<String> counts = new ArrayList<>();
        counts.add(summary.count(VideoStatus.GENERATED) + " of " + summary.rows() + (summary.rows() == 1 ? " row" : " rows") + " generated");
        for (VideoStatus status : List.of(VideoStatus.REJECTED, VideoStatus.FAILED, VideoStatus.UNCERTAIN, VideoStatus.PENDING)) {
            if (summary.count(status) > 0) {
                counts.add(summary.count(status) + " " + status.name().toLowerCase(Locale.ROOT));
            }
        }
        line.append("; ").append(String.join(", ", counts)).append("; ").append(plain(spent)).append(" credits spent by this run, ")
                .append(plain(summary.spent())).append(" in all");
        if (summary.lowestBalance() != null) {
            line.append(", ").append(plain(summary.lowestBalance())).append(" left");
        }
        return line.append("; manifest ").append(manifest).toString();
    }

    /** The webhook's body. Numbers are plain JSON numbers; times are UTC ISO-8601. */
    public String json() {
        CampaignSummary summary = outcome.summary();
        ObjectNode body = JSON.createObjectNode();
        body.put("campaign", campaign);
        body.put("jobFile", jobFile.toString());
        body.put("trigger", trigger);
        body.put("status", outcome.status().word());
        body.put("exitCode", outcome.exitCode());
        body.put("stopReason", outcome.reason().kind() == io.klingbatch.generation.StopReason.Kind.NONE ? null
                : outcome.reason().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("message", outcome.reason().message());
        ObjectNode counts = body.putObject("counts");
        counts.put("rows", summary.rows());
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status.name().toLowerCase(Locale.ROOT), summary.count(status));
        }
        ObjectNode credits = body.putObject("credits");
        credits.put("spent", number(spent));
        credits.put("spentInAll", number(summary.spent()));
        credits.put("left", number(summary.lowestBalance()));
        body.put("manifest", manifest.toString());
        body.put("startedAt", startedAt.toString());
        body.put("endedAt", endedAt.toString());
        body.put("host", host);
        body.put("text", line()); // what chat webhooks (Slack, Mattermost) show
        return JSON.writeValueAsString(body);
    }

    /** A plain JSON number (30, not 3E+1 nor 30.000000). */
    private static BigDecimal number(BigDecimal value) {
        return value == null ? null : new BigDecimal(value.stripTrailingZeros().toPlainString());
    }

    static String plain(BigDecimal value) {
        return value == null ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static String clause(String message) {
        String text = message.strip();
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
