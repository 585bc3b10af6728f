package io.klingbatch.cli;

import io.klingbatch.report.CampaignReports;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code report}: rewrites the campaign's {@code report.html} from the job repository and the output folder, without any
 * API call (no key needed): for a campaign run before reports existed, or after videos were copied back into the folder.
 */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = "Rewrites report.html in the output folder (a gallery of the videos, the rows without one and what to do, "
                + "totals and credits) from the job repository and the output folder. No API call, no key needed.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CampaignSelection selection;

    private final CliContext cli;

    ReportCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        CliContext.Known known = cli.known(selection);
        Path report;
        try {
            report = cli.bean(CampaignReports.class).write(known.campaign(), known.endpoint().id(), known.lastId());
        } catch (UncheckedIOException e) {
            cli.console.error("Not written: " + e.getMessage() + ". Check that the output folder can be written.");
            return ExitCode.USAGE.code;
        }
        Path shown = report.startsWith(cli.workingDirectory) ? cli.workingDirectory.relativize(report) : report;
        cli.console.say("Report: " + shown);
        return ExitCode.OK.code;
    }
}
