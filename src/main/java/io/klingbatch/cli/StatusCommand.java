package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.CampaignReporter;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.CampaignSummary;
import io.klingbatch.generation.OutputFolder;
import io.klingbatch.generation.VideoStatus;
import io.klingbatch.job.CampaignHistory;
import io.klingbatch.job.StopReason;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
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
        description = "Shows where a campaign stands: rows generated, rejected, failed, uncertain and pending, credits spent, "
                + "the last run's state, and the next step. Reads only the job repository and the ledger: nothing is paid.")
final class StatusCommand implements Callable<Integer> {

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
        Campaign campaign = selection.load(cli.workingDirectory);
        Optional<JobExecution> last = cli.bean(CampaignHistory.class).lastExecution(campaign);
        boolean simulated = last.map(CampaignHistory::simulated).orElse(false);
        CampaignSummary summary = cli.bean(CampaignReporter.class).summarize(new CampaignRun(campaign, simulated, false));
        String next = next(summary, last.orElse(null), OutputFolder.running(campaign));
        if (json) {
            cli.console.say(JsonMapper.builder().build().writeValueAsString(asMap(campaign, simulated, summary, last.orElse(null), next)));
        } else {
            cli.console.say("Campaign " + campaign.name() + ": " + summary.rows() + " rows, videos in " + campaign.output()
                    + (simulated ? " (simulated API)" : ""));
            cli.console.say("  " + counts(summary));
            cli.console.say("  credits spent " + plain(summary.spent())
                    + (summary.remainingCredits() == null ? "" : ", " + plain(summary.remainingCredits()) + " left at the last call"));
            cli.console.say("  last run: " + last.map(StatusCommand::describe).orElse("none"));
            cli.console.say("  next: " + next);
        }
        return ExitCode.OK.code;
    }

    /** The next step, in one sentence, from the last run's state and the rows' standing. */
    static String next(CampaignSummary summary, JobExecution last, boolean running) {
        if (last == null) {
            return "not run yet; start it with the run command";
        }
        BatchStatus status = last.getStatus();
        if (running) {
            return "running now; wait for it to finish";
        }
        if (status.isRunning()) {
            return "its last run was killed; run the same command to continue (a call that was in flight is marked UNCERTAIN)";
        }
        StopReason stop = StopReason.stored(last);
        if (status == BatchStatus.STOPPED || status == BatchStatus.FAILED) {
            return switch (stop.kind()) {
                case CREDITS -> "stopped: out of credits; top up and run the same command";
                case BUDGET -> "stopped: " + stop.message() + "; run again with a larger --max-credits";
                case UNREACHABLE -> "stopped: the API could not be reached; check the network and run the same command";
                case REFUSED -> "stopped: " + stop.message() + "; fix it and run the same command";
                case NOT_SAVED -> "stopped: a video could not be saved; free the space and run the same command";
                case CAMPAIGN_FILE -> "stopped: " + stop.message() + "; fix the file and run the same command";
                case NONE, INTERNAL -> "stopped by an error (see .kling-batch/kling-batch.log); run the same command to continue";
            };
        }
        if (summary.count(VideoStatus.PENDING) > 0) {
            return summary.count(VideoStatus.PENDING) + " rows not made yet (new, changed or still generating); run the same command";
        }
        if (summary.count(VideoStatus.FAILED) > 0) {
            return summary.count(VideoStatus.FAILED) + " rows failed without being charged; run the same command to try them again";
        }
        if (summary.count(VideoStatus.UNCERTAIN) > 0) {
            return summary.count(VideoStatus.UNCERTAIN) + " rows may have been charged without a result; check your Segmind "
                    + "dashboard, then run with --resend-uncertain to make them again";
        }
        if (summary.count(VideoStatus.REJECTED) > 0) {
            return "done; fix the " + summary.count(VideoStatus.REJECTED) + " rejected rows (see the manifest) to make them too";
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

    private static Map<String, Object> asMap(Campaign campaign, boolean simulated, CampaignSummary summary, JobExecution last, String next) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status.name().toLowerCase(Locale.ROOT), summary.count(status));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("campaign", campaign.name());
        map.put("csv", campaign.csv().toString());
        map.put("output", campaign.output().toString());
        map.put("simulated", simulated);
        map.put("rows", summary.rows());
        map.put("counts", counts);
        map.put("creditsSpent", summary.spent().stripTrailingZeros());
        map.put("remainingCredits", summary.remainingCredits() == null ? null : summary.remainingCredits().stripTrailingZeros());
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
        return map;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
