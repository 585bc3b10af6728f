package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.job.CampaignHistory;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.FormerHome;
import io.klingbatch.report.CampaignReports;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
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
        Campaign campaign = selection.load(cli.workingDirectory);
        cli.factsOnly();
        cli.bean(FormerHome.class).importFrom(cli.workingDirectory).ifPresent(cli.console::say);
        Optional<JobExecution> last = cli.bean(CampaignHistory.class).lastExecution(campaign);
        Endpoint endpoint = cli.endpointOf(last);
        Path report;
        try {
            report = cli.bean(CampaignReports.class).write(campaign, endpoint.id(), last.map(JobExecution::getId).orElse(null));
        } catch (UncheckedIOException e) {
            cli.console.error("Not written: " + e.getMessage() + ". Check that the output folder can be written.");
            return ExitCode.USAGE.code;
        }
        Path shown = report.startsWith(cli.workingDirectory) ? cli.workingDirectory.relativize(report) : report;
        cli.console.say("Report: " + shown);
        return ExitCode.OK.code;
    }
}
