package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.StopReason;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.Leases;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.VideoStatus;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** {@code status}: where a campaign stands, from the job repository and the ledger only; no API call at all. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows where a campaign stands: rows generated, rejected, failed, uncertain (by id, with the reason) and "
                + "pending, calls in flight, credits spent, the last run's state, and the next step. Reads only the job repository "
                + "and the ledger: nothing is paid. Every machine sharing the job repository says the same.")
final class StatusCommand implements Callable<Integer> {

    private static final int UNCERTAIN_LISTED = 20;

    @Mixin
    CampaignSelection selection;

    @Option(names = "--json", description = "Print one JSON object instead of sentences.")
    boolean json;

    private final CliContext cli;

    StatusCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        CliContext.Known known = cli.known(selection);
        Campaign campaign = known.campaign();
        Optional<JobExecution> last = known.last();
        Endpoint endpoint = known.endpoint();
        CampaignSummary summary = cli.bean(CampaignReporter.class).summarize(campaign, endpoint.id(), known.lastId());
        Leases.Holder holder = cli.bean(Leases.class).holder(CampaignLauncher.leaseKey(campaign.csv(), endpoint.id()));
        String next = next(summary, last.orElse(null), holder != null);
        if (json) {
            cli.console.say(JsonMapper.builder().build().writeValueAsString(asMap(campaign, endpoint, summary, last.orElse(null), holder, next)));
            return ExitCode.OK.code;
        }
        cli.console.say("Campaign " + campaign.name() + ": " + summary.rows() + " rows, videos in " + campaign.output()
                + (endpoint.simulated() ? " (simulated API)" : ""));
        cli.console.say("  " + counts(summary));
        if (summary.copied() > 0) {
            cli.console.say("  " + summary.copied() + (summary.copied() == 1 ? " video was" : " videos were") + " made earlier for another "
                    + "campaign or row and copied, not paid again");
        }
        if (summary.inFlight() > 0) {
            cli.console.say("  in flight: " + summary.inFlight() + (summary.inFlight() == 1 ? " video is" : " videos are")
                    + " being made right now (submitted, or sent by a running run); not paid again");
        }
        cli.console.say("  " + Summaries.creditsLine(summary));
        List<CampaignSummary.Uncertain> uncertain = summary.uncertain();
        for (CampaignSummary.Uncertain row : uncertain.subList(0, Math.min(UNCERTAIN_LISTED, uncertain.size()))) {
            cli.console.say("  uncertain: row " + row.row() + " " + row.id() + ": " + row.reason());
        }
        if (uncertain.size() > UNCERTAIN_LISTED) {
            cli.console.say("  uncertain: ... and " + (uncertain.size() - UNCERTAIN_LISTED) + " more (see the manifest)");
        }
        cli.console.say("  last run: " + last.map(StatusCommand::describe).orElse("none")
                + (holder == null ? "" : "; running now on " + holder.host() + ", pid " + holder.pid()));
        cli.console.say("  next: " + next);
        return ExitCode.OK.code;
    }

    /** The next step, in one sentence, from the last run's state and the rows' standing. */
    static String next(CampaignSummary summary, JobExecution last, boolean running) {
        if (running) {
            return "running now; wait for it to finish";
        }
        if (last == null && summary.count(VideoStatus.GENERATED) == 0) {
            return "not run yet; start it with the run command";
        }
        BatchStatus status = last == null ? BatchStatus.COMPLETED : last.getStatus();
        if (status.isRunning()) {
            return "its last run was killed; run the same command to continue (it takes over once that run's lease lapses; "
                    + "a call that was in flight is marked UNCERTAIN unless its video was saved)";
        }
        StopReason stop = last == null ? StopReason.NONE : StopReason.stored(last);
        if (status == BatchStatus.STOPPED || status == BatchStatus.FAILED) {
            return switch (stop.kind()) {
                case CREDITS -> "stopped: out of credits; top up and run the same command";
                case BUDGET -> "stopped: " + stop.message() + "; run again with a larger --max-credits";
                case UNREACHABLE -> "stopped: the API could not be reached; check the network and run the same command";
                case REFUSED -> "stopped: " + stop.message() + "; fix it and run the same command";
                case NOT_SAVED -> "stopped: " + stop.message() + "; free the space and run the same command";
                case DATABASE, LEASE_LOST -> "stopped: " + stop.message() + "; run the same command when it is back";
                case INTERRUPTED -> "stopped by Ctrl-C or SIGTERM; run the same command to continue";
                case RESULTS_PENDING -> "stopped: " + stop.message() + "; run the same command to collect them (not paid again)";
                case CAMPAIGN_FILE -> "stopped: " + stop.message() + "; fix the file and run the same command";
                case NONE, INTERNAL -> "stopped by an error (see the log file); run the same command to continue";
            };
        }
        if (summary.inFlight() > 0) {
            return summary.inFlight() + " videos are still being made; run the same command to collect them (not paid again)";
        }
        if (summary.count(VideoStatus.PENDING) > 0) {
            return summary.count(VideoStatus.PENDING) + " rows not made yet (new, changed or remade); run the same command";
        }
        if (summary.count(VideoStatus.FAILED) > 0) {
            return summary.count(VideoStatus.FAILED) + " rows failed without being charged; run the same command to try them again";
        }
        if (summary.count(VideoStatus.UNCERTAIN) > 0) {
            return summary.count(VideoStatus.UNCERTAIN) + " rows may have been charged without a result; check your Segmind "
                    + "dashboard, then run with --resend-uncertain to make them again";
        }
        if (summary.count(VideoStatus.REJECTED) > 0) {
            int rejected = summary.count(VideoStatus.REJECTED);
            return "done; fix the " + rejected + (rejected == 1 ? " rejected row (see the manifest) to make it too" : " rejected rows (see the manifest) to make them too");
        }
        return "done: every row has its video";
    }

    private static String describe(JobExecution execution) {
        LocalDateTime when = execution.getEndTime() != null ? execution.getEndTime() : execution.getStartTime();
        return execution.getStatus() + (when == null ? "" : " at " + when.withNano(0)) + " (execution " + execution.getId() + ")";
    }

    private static String counts(CampaignSummary summary) {
        StringBuilder line = new StringBuilder();
        for (VideoStatus status : VideoStatus.values()) {
            line.append(line.isEmpty() ? "" : ", ").append(status.name().toLowerCase(Locale.ROOT)).append(' ').append(summary.count(status));
        }
        return line.toString();
    }

    private static Map<String, Object> asMap(Campaign campaign, Endpoint endpoint, CampaignSummary summary, JobExecution last,
                                             Leases.Holder holder, String next) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status.name().toLowerCase(Locale.ROOT), summary.count(status));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("campaign", campaign.name());
        map.put("csv", campaign.csv().toString());
        map.put("output", campaign.output().toString());
        map.put("simulated", endpoint.simulated());
        map.put("rows", summary.rows());
        map.put("counts", counts);
        map.put("creditsSpent", number(summary.spent()));
        map.put("remainingCredits", number(summary.lowestBalance()));
        if (last != null) {
            Map<String, Object> execution = new LinkedHashMap<>();
            execution.put("id", last.getId());
            execution.put("status", last.getStatus().name());
            execution.put("startTime", last.getStartTime() == null ? null : last.getStartTime().toString());
            execution.put("endTime", last.getEndTime() == null ? null : last.getEndTime().toString());
            execution.put("stopReason", StopReason.stored(last).kind().name());
            map.put("lastExecution", execution);
        } else {
            map.put("lastExecution", null);
        }
        map.put("next", next);
        map.put("endpoint", endpoint.id());
        map.put("creditsPossiblyCharged", number(summary.spend().possibly()));
        map.put("creditsEstimated", summary.spend().estimated() > 0);
        map.put("copied", summary.copied());
        map.put("inFlight", summary.inFlight());
        map.put("uncertainRows", summary.uncertain().stream().map(row -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", row.id());
            line.put("row", row.row());
            line.put("reason", row.reason());
            return line;
        }).toList());
        if (holder != null) {
            Map<String, Object> running = new LinkedHashMap<>();
            running.put("host", holder.host());
            running.put("pid", holder.pid());
            running.put("since", holder.since() == null ? null : holder.since().toString());
            map.put("runningOn", running);
        } else {
            map.put("runningOn", null);
        }
        return map;
    }

    /** A plain JSON number (30, not 3E+1, which stripTrailingZeros alone would give). */
    private static BigDecimal number(BigDecimal value) {
        return value == null ? null : new BigDecimal(value.stripTrailingZeros().toPlainString());
    }
}
