package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.money.CostEstimate;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.Plan;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.segmind.SegmindProperties;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code validate}: checks every row, prints one line per bad row, says what a run would pay for; calls no API. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks every row of a campaign without calling the API: one line per bad row, naming its row, id "
                + "and field; says how many videos a run would copy from earlier ones and how many it would pay for. "
                + "Exit 0 when every row is valid, 1 when some are not, 2 when the file cannot be used at all.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<campaign.csv | jobs/NAME.yml>", description = "A campaign CSV, or a job file that names one.")
    Path campaignFile;

    @Option(names = "--simulate", description = "Count videos made earlier with the simulated API (as run --simulate would), not the real one.")
    boolean simulate;

    private final CliContext cli;

    ValidateCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Campaign campaign = new CampaignLoader(cli.workingDirectory).load(campaignFile, null);
        cli.readOnly(); // validate creates, migrates and writes nothing: it only reads a job repository that is there
        String endpoint = simulate ? Endpoint.SIMULATOR.id() : Endpoint.of(cli.bean(SegmindProperties.class).baseUrl()).id();
        CampaignReporter reporter = cli.bean(CampaignReporter.class);
        reporter = cli.noJobRepository() ? reporter.withoutLedger() : reporter.readingLedgerIfThere(endpoint);
        int[] counts = {0, 0};
        CampaignReporter.Outlook outlook = reporter.outlook(campaign, endpoint, (state, sameAs) -> {
            counts[0]++;
            CheckedRow checked = state.checked();
            if (checked instanceof CheckedRow.Rejected rejected) {
                counts[1]++;
                cli.console.say(RowLines.rejected(rejected));
            } else {
                if (sameAs != 0) {
                    cli.console.say("row " + checked.row().row() + " (id " + checked.row().id() + ") asks for the same video as row "
                            + sameAs + ": it is paid for once and copied.");
                }
            }
        });
        List<String> unknown = outlook.unknownColumns();
        if (!unknown.isEmpty()) {
            cli.console.say("Warning: " + campaign.csv().getFileName() + " has columns kling-batch does not know; they are ignored: "
                    + String.join(", ", unknown) + ".");
        }
        cli.bean(CampaignChecks.class).notes(campaign).forEach(cli.console::say); // Windows-1252 read; the first filled templates
        Plan plan = outlook.plan();
        if (plan.imageRows() > 0) {
            cli.console.say("Note: " + Words.rows(plan.imageRows()) + " with an image make one video each, not one per format: the API "
                    + "follows the image's shape, so the others would be identical videos.");
        }
        CostEstimate estimate = outlook.estimate();
        cli.console.say("Estimated cost of the " + plan.valid() + " valid rows: about " + estimate.total().setScale(2, RoundingMode.HALF_UP)
                .toPlainString() + " credits" + (estimate.rows() != plan.valid() ? " (the " + estimate.rows() + " videos still to pay for)" : "") + ".");
        cli.console.say("A run would pay for " + plan.toPay() + (plan.toPay() == 1 ? " video" : " videos")
                + (plan.made() + plan.shared() > 0 ? " and copy " + (plan.made() + plan.shared()) + " from videos made earlier, not paid again" : "")
                + (plan.inFlight() > 0 ? "; " + plan.inFlight() + " are being made already" : "")
                + (plan.uncertain() > 0 ? "; " + plan.uncertain() + " are uncertain and not resent" : "") + ".");
        if (counts[1] == 0) {
            cli.console.say("All " + counts[0] + " rows of " + campaign.csv().getFileName() + " are valid.");
            return ExitCode.OK.code;
        }
        cli.console.say(counts[1] + " of " + counts[0] + " rows of " + campaign.csv().getFileName()
                + " are invalid and would not be sent; " + (counts[0] - counts[1]) + " are valid.");
        return ExitCode.SOME_ROWS_NOT_GENERATED.code;
    }
}
