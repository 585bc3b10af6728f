package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignReporter;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.CostEstimate;
import io.klingbatch.generation.CampaignSummary;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.generation.VideoStatus;
import io.klingbatch.job.CampaignAlreadyRunningException;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.job.StopReason;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.segmind.ApiKeySource;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.SegmindConnector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code run}: generates the campaign's videos, or continues a stopped run of it. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = "Generates one video per valid row. After a stop (credits ran out, process killed) run the same "
                + "command again: it continues where it stopped and never pays again for a row already generated.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CampaignSelection selection;

    @Option(names = "--simulate", description = "Use the built-in simulated API on the loopback: no key, no network, simulated credits.")
    boolean simulate;

    @Option(names = "--resend-uncertain", description = "Send again the rows that may already have been charged without a result (UNCERTAIN).")
    boolean resendUncertain;

    @Option(names = "--concurrency", paramLabel = "N", description = "Generations in flight at once (default: the job file's 'concurrency', else 4).")
    Integer concurrency;

    @Option(names = "--requests-per-minute", paramLabel = "R", description = "Never start more than R requests in any 60 seconds, for your plan's rate limit (default: the job file's 'requests-per-minute', else no limit).")
    Integer requestsPerMinute;

    @Option(names = "--api", paramLabel = "v1|v2", description = "v1: one blocking call per video (default). v2: submit, then poll; "
            + "the request id is stored seconds after submitting, so even a killed run never pays twice (job file 'api').")
    String api;

    @Option(names = "--max-credits", paramLabel = "C", description = "The campaign's budget: never start a call that could take its "
            + "spend over C credits; stop (exit 3) when it is reached. Run again with a larger budget to continue (job file 'max-credits').")
    java.math.BigDecimal maxCredits;

    @Option(names = "--require-credits", description = "Refuse to start (exit 3) when the account's balance cannot cover the campaign's estimated cost.")
    boolean requireCredits;

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    RunCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Campaign campaign = selection.load(cli.workingDirectory);
        if (!simulate && !cli.bean(SegmindConnector.class).hasApiKey()) {
            cli.console.error("No API key: set the environment variable " + ApiKeySource.VARIABLE
                    + " to your Segmind key, or add --simulate to try the simulated API.");
            return ExitCode.USAGE.code;
        }
        precheck(campaign);
        CampaignRun run = new CampaignRun(campaign, simulate, resendUncertain,
                new CampaignRun.Overrides(concurrency, requestsPerMinute, Api.parse(api), maxCredits));
        Integer refused = checkBalance(run);
        if (refused != null) {
            return refused;
        }
        cli.bean(ProgressRelay.class).listen(new ConsoleProgress(cli.console));
        Thread interrupted = new Thread(() -> cli.console.error("Interrupted. Every paid video so far is saved; a call that was in "
                + "flight may have been charged and is marked UNCERTAIN. Run the same command to continue:\n  " + sameCommand()));
        Runtime.getRuntime().addShutdownHook(interrupted);
        RunResult result;
        try {
            result = cli.bean(CampaignLauncher.class).run(run);
        } catch (CampaignAlreadyRunningException e) {
            cli.console.error("Not started: " + e.getMessage() + ".");
            return ExitCode.USAGE.code;
        } finally {
            cli.bean(ProgressRelay.class).listen(null);
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook says what to do
            }
        }
        warnAboutMissingFiles(result.summary());
        return outcome(campaign, result);
    }

    private void warnAboutMissingFiles(CampaignSummary summary) {
        if (!summary.missingFiles().isEmpty()) {
            cli.console.say("Warning: " + summary.missingFiles().size() + " paid " + (summary.missingFiles().size() == 1 ? "video is" : "videos are")
                    + " missing from the output folder (" + String.join(", ", summary.missingFiles().subList(0, Math.min(5, summary.missingFiles().size())))
                    + (summary.missingFiles().size() > 5 ? ", ..." : "") + "). They were paid for, so they are not made again: restore them from a backup.");
        }
    }

    private void checkOptions() {
        if (concurrency != null && concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1 (got " + concurrency + ").");
        }
        if (requestsPerMinute != null && requestsPerMinute < 1) {
            throw new ParameterException(spec.commandLine(), "--requests-per-minute must be at least 1 (got " + requestsPerMinute + ").");
        }
        if (maxCredits != null && maxCredits.signum() <= 0) {
            throw new ParameterException(spec.commandLine(), "--max-credits must be a positive number of credits.");
        }
        try {
            Api.parse(api);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--api must be v1 or v2.");
        }
    }

    /**
     * Compares the account's balance with what the rows left should cost. Says how many rows it covers and goes on
     * (the run stops restartably when credits end), or refuses with {@code --require-credits}. A balance that cannot
     * be read is a note, not an error, except a refused key: then nothing can succeed.
     */
    private Integer checkBalance(CampaignRun run) {
        java.math.BigDecimal balance;
        try {
            balance = cli.bean(SegmindConnector.class).credits(run.simulated());
        } catch (io.klingbatch.segmind.SegmindException e) {
            if (e instanceof ApiRefusedException && e.status() == 401) {
                cli.console.error("Not started: " + e.getMessage() + ". No call was made.");
                return ExitCode.REFUSED_BY_API.code;
            }
            cli.console.say("Note: could not read the account's balance (" + e.getMessage() + "); going on.");
            return null;
        }
        CostEstimate estimate = cli.bean(CampaignReporter.class).estimate(run, balance);
        if (estimate.rows() == 0 || estimate.covered() == estimate.rows()) {
            if (estimate.rows() > 0) {
                cli.console.say("Balance " + plain(balance) + " credits; the " + Words.rows(estimate.rows()) + " to make should cost about "
                        + plain(estimate.total()) + " credits.");
            }
            return null;
        }
        String sentence = "Balance " + plain(balance) + " credits covers about " + estimate.covered() + " of the " + estimate.rows()
                + (estimate.rows() == 1 ? " row" : " rows") + " to make (estimated " + plain(estimate.total()) + " credits)";
        if (requireCredits) {
            cli.console.error("Not started: " + sentence + ". Top up, or run without --require-credits to make what the balance covers.");
            return ExitCode.STOPPED_RESTARTABLE.code;
        }
        cli.console.say(sentence + "; the run stops when credits run out and continues after a top-up with the same command.");
        return null;
    }

    private static String plain(java.math.BigDecimal value) {
        return value.setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** Reads the whole CSV once before anything is paid: an unusable file stops here, with exit 2. */
    private void precheck(Campaign campaign) {
        int[] counts = {0, 0};
        List<String> unknown = cli.bean(CampaignChecks.class).scan(campaign, checked -> {
            counts[0]++;
            if (checked instanceof CheckedRow.Rejected) {
                counts[1]++;
            }
        });
        if (!unknown.isEmpty()) {
            cli.console.say("Warning: " + campaign.csv().getFileName() + " has columns kling-batch does not know; they are ignored: "
                    + String.join(", ", unknown) + ".");
        }
        cli.console.say("Campaign " + campaign.name() + ": " + Words.rows(counts[0]) + " (" + (counts[0] - counts[1]) + " valid, "
                + counts[1] + " rejected), videos in " + relative(campaign.output()) + (simulate ? ", simulated API" : "") + ".");
    }

    private int outcome(Campaign campaign, RunResult result) {
        CampaignSummary summary = result.summary();
        String manifest = relative(campaign.output().resolve("manifest.csv"));
        if (!result.launched()) {
            cli.console.say("Nothing to send: this campaign already ran to the end. " + counts(summary) + " Manifest: " + manifest + ".");
            return summary.allGenerated() ? ExitCode.OK.code : ExitCode.SOME_ROWS_NOT_GENERATED.code;
        }
        JobExecution execution = result.execution();
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            cli.console.say((summary.allGenerated() ? "Done: every row has its video. " : "Finished. ") + counts(summary)
                    + uncertainNote(summary) + " Manifest: " + manifest + ".");
            return summary.allGenerated() ? ExitCode.OK.code : ExitCode.SOME_ROWS_NOT_GENERATED.code;
        }
        StopReason stop = StopReason.of(execution);
        String progress = Words.rows(summary.count(VideoStatus.GENERATED)) + " done, " + summary.left() + " left.";
        return switch (stop.kind()) {
            case BUDGET -> {
                cli.console.say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                        + ". Run again with a larger --max-credits to continue.");
                yield ExitCode.STOPPED_RESTARTABLE.code;
            }
            case CREDITS -> {
                cli.console.say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                        + ". Top up your Segmind credits and run the same command again:\n  " + sameCommand());
                yield ExitCode.STOPPED_RESTARTABLE.code;
            }
            case UNREACHABLE -> {
                cli.console.say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                        + ". Check the network (and segmind.base-url), then run the same command again:\n  " + sameCommand());
                yield ExitCode.STOPPED_RESTARTABLE.code;
            }
            case REFUSED -> {
                cli.console.error("Stopped: " + Words.clause(stop.message()) + ". No further calls were made; " + progress
                        + " Fix it and run the same command again.");
                yield ExitCode.REFUSED_BY_API.code;
            }
            case NOT_SAVED -> {
                cli.console.error("Stopped: " + Words.clause(stop.message()) + ". Free the space or fix the folder, then run the same command again.");
                yield ExitCode.INTERNAL.code;
            }
            case CAMPAIGN_FILE -> {
                cli.console.error("Stopped: " + Words.clause(stop.message()) + ". Manifest: " + manifest + ".");
                yield ExitCode.USAGE.code;
            }
            case NONE, INTERNAL -> {
                cli.console.error("Stopped by an internal error (" + (stop.message() == null ? execution.getExitStatus().getExitDescription()
                        : stop.message()) + "). Details are in .kling-batch/kling-batch.log. Nothing paid is lost; run the same command "
                        + "again to continue.");
                yield ExitCode.INTERNAL.code;
            }
        };
    }

    private static String counts(CampaignSummary summary) {
        List<String> parts = new ArrayList<>();
        parts.add(summary.count(VideoStatus.GENERATED) + " of " + Words.rows(summary.rows()) + " generated");
        for (VideoStatus status : List.of(VideoStatus.REJECTED, VideoStatus.FAILED, VideoStatus.UNCERTAIN, VideoStatus.PENDING)) {
            if (summary.count(status) > 0) {
                parts.add(summary.count(status) + " " + status.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return String.join(", ", parts) + "; " + summary.spent().stripTrailingZeros().toPlainString() + " credits spent"
                + (summary.remainingCredits() == null ? "" : ", " + summary.remainingCredits().stripTrailingZeros().toPlainString() + " left") + ".";
    }

    private static String uncertainNote(CampaignSummary summary) {
        if (summary.count(VideoStatus.UNCERTAIN) == 0) {
            return "";
        }
        return " " + summary.count(VideoStatus.UNCERTAIN) + " uncertain row(s) may have been charged without a result ("
                + summary.uncertainReasons().get(0) + "); they are not resent unless you add --resend-uncertain.";
    }

    private String sameCommand() {
        return Invocation.of(cli.workingDirectory, spec.commandLine().getParseResult().originalArgs());
    }

    private String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cli.workingDirectory) ? cli.workingDirectory.relativize(absolute).toString() : absolute.toString();
    }
}
