package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.generation.StopReason;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.ledger.CampaignHeldException;
import io.klingbatch.ledger.FormerHome;
import io.klingbatch.money.CostEstimate;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.Plan;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.schedule.RunOutcome;
import io.klingbatch.schedule.RunRecorder;
import io.klingbatch.schedule.RunReport;
import io.klingbatch.segmind.ApiKeySource;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DataAccessException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code run}: generates the campaign's videos, or continues a stopped run of it. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = "Generates one video per valid row. A video made earlier (by any run, for any campaign, from any folder "
                + "or machine sharing the job repository) is copied, never paid again. After a stop (credits ran out, Ctrl-C, "
                + "process killed) run the same command again: it continues where it stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CampaignSelection selection;

    @Option(names = "--simulate", description = "Use the built-in simulated API on the loopback: no key, no network, simulated credits.")
    boolean simulate;

    @Option(names = "--simulate-credits", paramLabel = "C", description = "With --simulate: the simulated balance to start with "
            + "(default: enough for any campaign), to rehearse running out of credits.")
    BigDecimal simulateCredits;

    @Option(names = "--simulate-latency", paramLabel = "TIME", description = "With --simulate: how long each simulated generation "
            + "takes, e.g. 2s, or 2m for a real campaign's timing (default 400ms).")
    String simulateLatency;

    @Option(names = "--resend-uncertain", description = "Send again the rows that may already have been charged without a result (UNCERTAIN).")
    boolean resendUncertain;

    @Option(names = "--remake", split = ",", paramLabel = "ID", description = "Pay for one new take of each named row (ids, "
            + "comma-separated); the earlier video is kept beside the new one.")
    List<String> remake;

    @Option(names = "--takes", paramLabel = "N", description = "N videos of each row and format, each its own paid call (job file "
            + "'takes'; default 1). Raising it later pays only for the new takes.")
    Integer takes;

    @Option(names = "--concurrency", paramLabel = "N", description = "Generations in flight at once (default: the job file's 'concurrency', else 4).")
    Integer concurrency;

    @Option(names = "--requests-per-minute", paramLabel = "R", description = "Never start more than R requests in any 60 seconds, for your plan's rate limit (default: the job file's 'requests-per-minute', else no limit).")
    Integer requestsPerMinute;

    @Option(names = "--api", paramLabel = "v1|v2", description = "v1: one blocking call per video (default). v2: submit, then poll; "
            + "the request id is stored seconds after submitting, so even a killed run never pays twice (job file 'api').")
    String api;

    @Option(names = "--max-credits", paramLabel = "C", description = "The campaign's budget: never start a call that could take its "
            + "spend over C credits; stop (exit 3) when it is reached. Run again with a larger budget to continue (job file 'max-credits').")
    BigDecimal maxCredits;

    @Option(names = "--require-credits", description = "Refuse to start (exit 3) when the account's balance cannot cover the campaign's estimated cost.")
    boolean requireCredits;

    @Option(names = "--quiet", description = "Print only the final summary (and errors): no first line, no progress.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    RunCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        cli.console.quiet(quiet);
        long started = System.nanoTime();
        Campaign campaign = selection.load(cli.workingDirectory);
        if (takes != null) {
            campaign = campaign.withTakes(takes);
        }
        if (!simulate && !cli.bean(SegmindConnector.class).hasApiKey()) {
            cli.console.error("No API key: set the environment variable " + ApiKeySource.VARIABLE
                    + " to your Segmind key, or add --simulate to try the simulated API.");
            return ExitCode.USAGE.code;
        }
        cli.bean(FormerHome.class).importFrom(cli.workingDirectory).ifPresent(cli.console::say);
        if (simulate) {
            var simulator = cli.bean(SegmindConnector.class).simulator();
            if (simulateCredits != null) {
                simulator.setCredits(simulateCredits);
            }
            if (simulateLatency != null) {
                simulator.setLatency(org.springframework.boot.convert.DurationStyle.detectAndParse(simulateLatency));
            }
        }
        CampaignLauncher launcher = cli.bean(CampaignLauncher.class);
        CampaignRun run = launcher.resolve(new CampaignRun(campaign, simulate, resendUncertain,
                new CampaignRun.Overrides(concurrency, requestsPerMinute, Api.parse(api), maxCredits, remake)));
        Plan plan = firstLine(run);
        if (plan.toPay() > 0) {
            Integer refused = checkBalance(run);
            if (refused != null) {
                return refused;
            }
        }
        RunSessions sessions = cli.bean(RunSessions.class);
        ProgressView.Mode mode = quiet ? ProgressView.Mode.QUIET : cli.console.terminal() ? ProgressView.Mode.BAR : ProgressView.Mode.LINES;
        RunRecorder recorder = cli.bean(RunRecorder.class);
        RunResult result;
        RunReport report;
        Duration grace = cli.setting("kling.shutdown-grace", Duration.class, Duration.ofMinutes(5));
        try (ProgressView view = new ProgressView(cli.console, mode, plan.toPay() + plan.inFlight(), System.out);
             RunRecorder.Recording recording = recorder.start(run, "run");
             Interrupts interrupts = Interrupts.install(sessions, cli.console, grace);
             DatabaseWatch watch = DatabaseWatch.start(sessions, cli.console, cli.databaseName(), grace)) {
            cli.bean(ProgressRelay.class).listen(view);
            result = launcher.run(run, recording::started);
            report = recording.finish(result);
        } catch (CampaignHeldException e) {
            cli.console.error("Not started: " + e.getMessage() + ". Nothing was sent; wait for that run to end (the same command then "
                    + "continues where it stopped), or check 'status'.");
            return ExitCode.CAMPAIGN_HELD.code;
        } catch (DataAccessException e) {
            cli.console.error(DatabaseWatch.sentence(cli.databaseName(), e) + " Run the same command when it is back.");
            return ExitCode.STOPPED_RESTARTABLE.code;
        } finally {
            cli.bean(ProgressRelay.class).listen(null);
            sessions.reset();
        }
        warnAboutFiles(result.summary());
        int exit = outcome(campaign, result, report.outcome());
        afterward(campaign, result, exit, Duration.ofNanos(System.nanoTime() - started));
        recorder.notify(campaign, report);
        return exit;
    }

    private void warnAboutFiles(CampaignSummary summary) {
        if (!summary.missingFiles().isEmpty()) {
            cli.console.say("Warning: " + summary.missingFiles().size() + " paid " + (summary.missingFiles().size() == 1 ? "video is" : "videos are")
                    + " missing from the output folder (" + String.join(", ", summary.missingFiles().subList(0, Math.min(5, summary.missingFiles().size())))
                    + (summary.missingFiles().size() > 5 ? ", ..." : "") + "). They were paid for, so they are not made again: restore them from a backup.");
        }
        if (!summary.elsewhere().isEmpty()) {
            cli.console.say("Note: " + summary.elsewhere().size() + (summary.elsewhere().size() == 1 ? " video was" : " videos were")
                    + " made earlier on a disk this machine cannot reach (" + String.join(", ", summary.elsewhere().subList(0,
                    Math.min(3, summary.elsewhere().size()))) + (summary.elsewhere().size() > 3 ? ", ..." : "") + "); the manifest names where"
                    + " each is. They are not paid again.");
        }
    }

    private void checkOptions() {
        if (!simulate && (simulateCredits != null || simulateLatency != null)) {
            throw new ParameterException(spec.commandLine(), "--simulate-credits and --simulate-latency go with --simulate.");
        }
        if (simulateCredits != null && simulateCredits.signum() < 0) {
            throw new ParameterException(spec.commandLine(), "--simulate-credits must not be negative.");
        }
        if (simulateLatency != null) {
            try {
                org.springframework.boot.convert.DurationStyle.detectAndParse(simulateLatency);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--simulate-latency must be a duration such as 400ms, 2s or 2m (got '"
                        + simulateLatency + "').");
            }
        }
        if (takes != null && takes < 1) {
            throw new ParameterException(spec.commandLine(), "--takes must be at least 1 (got " + takes + ").");
        }
        if (concurrency != null && concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1 (got " + concurrency + ").");
        }
        if (requestsPerMinute != null && requestsPerMinute < 1) {
            throw new ParameterException(spec.commandLine(), "--requests-per-minute must be at least 1 (got " + requestsPerMinute + ").");
        }
        if (maxCredits != null && maxCredits.signum() <= 0) {
            throw new ParameterException(spec.commandLine(), "--max-credits must be a positive number of credits.");
        }
        if (remake != null && remake.stream().anyMatch(String::isBlank)) {
            throw new ParameterException(spec.commandLine(), "--remake needs row ids, comma-separated (an empty one was given).");
        }
        try {
            Api.parse(api);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--api must be v1 or v2.");
        }
    }

    /**
     * Reads the whole CSV once before anything is paid (an unusable file stops here, exit 2) and says what the run will
     * do: rows, rejected rows, videos copied from earlier ones, videos to pay for.
     */
    private Plan firstLine(CampaignRun run) {
        Campaign campaign = run.campaign();
        CampaignReporter reporter = cli.bean(CampaignReporter.class);
        Plan plan = reporter.plan(campaign, run.endpointId(), run.resendUncertain(), run.remake());
        List<String> unknown = reporter.walk(campaign, run.endpointId(), state -> {
        });
        if (!unknown.isEmpty()) {
            cli.console.say("Warning: " + campaign.csv().getFileName() + " has columns kling-batch does not know; they are ignored: "
                    + String.join(", ", unknown) + ".");
        }
        String reading = io.klingbatch.campaign.CampaignCsv.readingNote(campaign); // read as Windows-1252: say so, as validate does
        if (reading != null) {
            cli.console.say(reading);
        }
        List<String> parts = new ArrayList<>();
        parts.add(plan.toPay() + (plan.toPay() == 1 ? " video" : " videos") + " to pay for");
        if (plan.made() + plan.shared() > 0) {
            parts.add((plan.made() + plan.shared()) + " copied from earlier videos (not paid again)");
        }
        if (plan.inFlight() > 0) {
            parts.add(plan.inFlight() + " being made already");
        }
        if (plan.uncertain() > 0) {
            parts.add(plan.uncertain() + " uncertain, not resent");
        }
        cli.console.say("Campaign " + campaign.name() + ": " + Words.rows(plan.rows()) + " (" + plan.valid() + " valid, " + plan.rejected()
                + " rejected): " + String.join(", ", parts) + "; videos in " + relative(campaign.output())
                + (simulate ? ", simulated API" : "") + ".");
        if (plan.imageRows() > 0) {
            cli.console.say("Note: " + Words.rows(plan.imageRows()) + " with an image make one video each, not one per format: the API "
                    + "follows the image's shape, so the others would be identical videos.");
        }
        return plan;
    }

    /**
     * Compares the account's balance with what the videos left should cost. Says how many it covers and goes on (the
     * run stops restartably when credits end), or refuses with {@code --require-credits}. A balance that cannot be read
     * is a note, not an error, except a refused key: then nothing can succeed.
     */
    private Integer checkBalance(CampaignRun run) {
        BigDecimal balance;
        try {
            balance = cli.bean(SegmindConnector.class).credits(run.simulated());
        } catch (SegmindException e) {
            if (e instanceof ApiRefusedException && e.status() == 401) {
                cli.console.error("Not started: " + e.getMessage() + ". No call was made.");
                return ExitCode.REFUSED_BY_API.code;
            }
            cli.console.say("Note: could not read the account's balance (" + e.getMessage() + "); going on.");
            return null;
        }
        CostEstimate estimate = cli.bean(CampaignReporter.class).estimate(run.campaign(), run.endpointId(), balance, run.remake());
        if (estimate.rows() == 0 || estimate.covered() == estimate.rows()) {
            if (estimate.rows() > 0) {
                cli.console.say("Balance " + plain(balance) + " credits; the " + estimate.rows() + (estimate.rows() == 1 ? " video" : " videos")
                        + " to make should cost about " + plain(estimate.total()) + " credits.");
            }
            return null;
        }
        String sentence = "Balance " + plain(balance) + " credits covers about " + estimate.covered() + " of the " + estimate.rows()
                + (estimate.rows() == 1 ? " video" : " videos") + " to make (estimated " + plain(estimate.total()) + " credits)";
        if (requireCredits) {
            cli.console.error("Not started: " + sentence + ". Top up, or run without --require-credits to make what the balance covers.");
            return ExitCode.STOPPED_RESTARTABLE.code;
        }
        cli.console.say(sentence + "; the run stops when credits run out and continues after a top-up with the same command.");
        return null;
    }

    private static String plain(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** Says how the run ended, in one sentence; its exit code is the outcome's ({@link RunOutcome}, shared with {@code schedule}). */
    private int outcome(Campaign campaign, RunResult result, RunOutcome outcome) {
        CampaignSummary summary = result.summary();
        String manifest = relative(campaign.output().resolve("manifest.csv"));
        if (!result.launched()) {
            cli.console.result("Nothing to send: every video of this campaign was made already. " + Summaries.counts(summary)
                    + " Manifest: " + manifest + ".");
            return outcome.exitCode();
        }
        JobExecution execution = result.execution();
        if (outcome.finished()) {
            cli.console.result((summary.allGenerated() ? "Done: every row has its video. " : "Finished. ") + Summaries.counts(summary)
                    + Summaries.uncertainNote(summary) + " Manifest: " + manifest + ".");
            return outcome.exitCode();
        }
        StopReason stop = outcome.reason();
        String progress = Words.rows(summary.count(VideoStatus.GENERATED)) + " done, " + summary.left() + " left; "
                + Summaries.credits(summary) + ".";
        String again = " Run the same command again to continue:\n  " + sameCommand();
        switch (stop.kind()) {
            case BUDGET -> say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                    + ". Run again with a larger --max-credits to continue.");
            case CREDITS -> say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                    + ". Top up your Segmind credits and run the same command again:\n  " + sameCommand());
            case UNREACHABLE -> say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                    + ". Check the network (and segmind.base-url), then run the same command again:\n  " + sameCommand());
            case INTERRUPTED -> say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest + "." + again);
            case RESULTS_PENDING -> say("Stopped: " + Words.clause(stop.message()) + " (already paid for). " + progress + " Manifest: "
                    + manifest + ". Run the same command later to collect them; nothing is paid again:\n  " + sameCommand());
            case NOT_SAVED -> say("Stopped: " + Words.clause(stop.message()) + ". " + progress + " Manifest: " + manifest
                    + ". Free the space or fix the folder, then run the same command again:\n  " + sameCommand());
            case DATABASE, LEASE_LOST -> say("Stopped: " + Words.clause(stop.message()) + " (" + cli.databaseName() + "). " + progress
                    + " Every video paid is saved and recorded in the output folder." + again);
            case REFUSED -> cli.console.error("Stopped: " + Words.clause(stop.message()) + ". No further calls were made; " + progress
                    + " Fix it and run the same command again.");
            case CAMPAIGN_FILE -> cli.console.error("Stopped: " + Words.clause(stop.message()) + ". Manifest: " + manifest + ".");
            case NONE, INTERNAL -> cli.console.error("Stopped by an internal error (" + (stop.message() == null
                    ? execution.getExitStatus().getExitDescription() : stop.message()) + "). Details are in " + cli.logFile()
                    + ". Nothing paid is lost; run the same command again to continue.");
        }
        return outcome.exitCode();
    }

    private void say(String sentence) {
        cli.console.result(sentence);
    }

    /**
     * The end of a run, after its one sentence: how long it took, where its files are, and the next step that fits the
     * exit code when the sentence did not already say it.
     */
    private void afterward(Campaign campaign, RunResult result, int exit, Duration took) {
        java.nio.file.Path folder = campaign.output();
        java.nio.file.Path report = folder.resolve("report.html");
        cli.console.result("Took " + human(took) + ". Videos in " + relative(folder) + (java.nio.file.Files.exists(report)
                ? "; report " + relative(report) : "") + ".");
        if (exit == ExitCode.SOME_ROWS_NOT_GENERATED.code) {
            cli.console.result("Next: " + nextStep(result.summary()) + ".");
        }
    }

    /** What to do about the videos a finished run did not make (exit 1). */
    private static String nextStep(CampaignSummary summary) {
        List<String> steps = new ArrayList<>();
        if (summary.count(VideoStatus.REJECTED) > 0) {
            steps.add("fix the " + summary.count(VideoStatus.REJECTED) + " rejected " + (summary.count(VideoStatus.REJECTED) == 1 ? "row" : "rows")
                    + " (the manifest names each field) and run the same command to make " + (summary.count(VideoStatus.REJECTED) == 1 ? "it" : "them") + " too");
        }
        if (summary.count(VideoStatus.FAILED) > 0) {
            steps.add("run the same command to try the " + summary.count(VideoStatus.FAILED) + " failed again (they cost nothing)");
        }
        if (summary.count(VideoStatus.UNCERTAIN) > 0) {
            steps.add("check your Segmind dashboard for the " + summary.count(VideoStatus.UNCERTAIN) + " uncertain, then add --resend-uncertain "
                    + "to make them again");
        }
        if (summary.count(VideoStatus.PENDING) > 0) {
            steps.add("run the same command for the " + summary.count(VideoStatus.PENDING) + " still to make");
        }
        return steps.isEmpty() ? "nothing" : String.join("; ", steps);
    }

    private static String human(Duration took) {
        long seconds = Math.max(1, took.toSeconds());
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? took.toMinutes() + " min" : took.toHours() + " h " + took.toMinutesPart() + " min";
    }

    private String sameCommand() {
        return Invocation.of(cli.workingDirectory, spec.commandLine().getParseResult().originalArgs());
    }

    private String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cli.workingDirectory) ? cli.workingDirectory.relativize(absolute).toString() : absolute.toString();
    }

    /** For sentences: lower-case status names. */
    static String name(VideoStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
