package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.ledger.FormerHome;
import io.klingbatch.schedule.CampaignScheduler;
import io.klingbatch.schedule.MonitoringServer;
import io.klingbatch.schedule.ScheduledRuns;
import io.klingbatch.segmind.ApiKeySource;
import io.klingbatch.segmind.SegmindConnector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code schedule}: a long-lived process that runs each job file's campaign on its {@code schedule:}. One line per run
 * start and end, on the console and in the log file. The first SIGTERM or Ctrl-C stops the runs in progress as {@code run}
 * stops (calls in flight finish within {@code kling.shutdown-grace}, STOPPED, manifest written) and exits 0.
 */
@Command(name = "schedule",
        mixinStandardHelpOptions = true,
        description = "Runs each job file's campaign on its 'schedule:' (a cron expression with seconds, such as \"0 0 2 * * *\", or "
                + "\"@daily\"), until SIGTERM or Ctrl-C. A campaign runs in one place at a time across machines sharing the job "
                + "repository; a tick while it runs elsewhere is skipped. Job files are read again on each tick.")
final class ScheduleCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "<jobs/NAME.yml>", description = "Job files with a 'schedule:'.")
    List<Path> jobFiles;

    @Option(names = "--simulate", description = "Use the built-in simulated API on the loopback: no key, no network, simulated credits.")
    boolean simulate;

    @Option(names = "--port", paramLabel = "P", description = "Serve /actuator/health and /actuator/prometheus on 127.0.0.1:P (default: no web server).")
    Integer port;

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    ScheduleCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (port != null && (port < 1 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port must be from 1 to 65535 (got " + port + ").");
        }
        for (Path jobFile : jobFiles) {
            String name = jobFile.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".yml") && !name.endsWith(".yaml")) {
                cli.console.error(jobFile + ": 'schedule' takes job files (jobs/NAME.yml with a 'schedule:'), not a CSV.");
                return ExitCode.USAGE.code;
            }
            Campaign campaign = new CampaignLoader(cli.workingDirectory).load(jobFile, null);
            if (campaign.schedule() == null) {
                cli.console.error(jobFile + ": has no 'schedule:' (a cron expression with seconds, such as \"0 0 2 * * *\" for 2 am "
                        + "daily, or \"@daily\"), so 'schedule' cannot run it.");
                return ExitCode.USAGE.code;
            }
        }
        if (port != null) {
            cli.startWith(MonitoringServer.properties(port));
        }
        if (!simulate && !cli.bean(SegmindConnector.class).hasApiKey()) {
            cli.console.error("No API key: set the environment variable " + ApiKeySource.VARIABLE
                    + " to your Segmind key, or add --simulate to try the simulated API.");
            return ExitCode.USAGE.code;
        }
        cli.bean(FormerHome.class).importFrom(cli.workingDirectory).ifPresent(cli.console::say);
        RunSessions sessions = cli.bean(RunSessions.class);
        Duration grace = cli.setting("kling.shutdown-grace", Duration.class, Duration.ofMinutes(5));
        Duration reread = cli.setting("kling.schedule.reread-every", Duration.class, Duration.ofSeconds(10));
        try (CampaignScheduler scheduler = new CampaignScheduler(cli.bean(ScheduledRuns.class), sessions, jobFiles, cli.workingDirectory,
                simulate, this::say, Clock.systemDefaultZone(), reread);
             Interrupts interrupts = Interrupts.install(sessions, cli.console, grace, scheduler::stopScheduling);
             // as under run: once the job repository is gone, no call starts, those in flight finish, then exit 3 (systemd's
             // Restart=on-failure starts the scheduler again; its next tick continues the run once the database is back)
             DatabaseWatch watch = DatabaseWatch.start(sessions, cli.console, cli.databaseName(), grace)) {
            List<String> campaigns = scheduler.start();
            say("Scheduling " + campaigns.size() + (campaigns.size() == 1 ? " campaign" : " campaigns") + (simulate ? " (simulated API)" : "")
                    + ": " + String.join("; ", campaigns) + ". Log: " + cli.logFile()
                    + (port != null ? "; health and metrics on http://127.0.0.1:" + port + "/actuator/" : "")
                    + ". SIGTERM or Ctrl-C stops.");
            interrupts.awaitFirst();
            int running = scheduler.running();
            boolean ended = scheduler.awaitRuns(grace.plusSeconds(60));
            if (!ended) {
                cli.console.error("Stopped scheduling, but " + scheduler.running() + " run(s) did not end within " + grace.plusSeconds(60).toSeconds()
                        + " s; details in " + cli.logFile() + ". Their campaigns are recovered by the next run.");
                return ExitCode.STOPPED_RESTARTABLE.code;
            }
            say("Stopped scheduling" + (running > 0 ? "; " + running + (running == 1 ? " run" : " runs") + " stopped (STOPPED, manifest written), "
                    + "continued by the next tick or run" : "") + ".");
            return ExitCode.OK.code;
        }
    }

    /** A line for an unattended console (the journal, docker logs): with the time. */
    private void say(String line) {
        cli.console.say(LocalDateTime.now().withNano(0) + " " + line);
    }
}
