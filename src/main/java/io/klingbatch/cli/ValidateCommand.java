package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.generation.CostModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code validate}: checks every row, prints one line per bad row, calls no API. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks every row of a campaign without calling the API: one line per bad row, naming its row, id "
                + "and field. Exit 0 when every row is valid, 1 when some are not, 2 when the file cannot be used at all.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<campaign.csv | jobs/NAME.yml>", description = "A campaign CSV, or a job file that names one.")
    Path campaignFile;

    private final CliContext cli;

    ValidateCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Campaign campaign = new CampaignLoader(cli.workingDirectory).load(campaignFile, null);
        int[] counts = {0, 0};
        CostModel costs = cli.bean(CostModel.class);
        BigDecimal[] estimate = {BigDecimal.ZERO};
        List<String> unknown = cli.bean(CampaignChecks.class).scan(campaign, checked -> {
            counts[0]++;
            if (checked instanceof CheckedRow.Rejected rejected) {
                counts[1]++;
                cli.console.say(RowLines.rejected(rejected));
            } else {
                estimate[0] = estimate[0].add(costs.estimate(((CheckedRow.Accepted) checked).request().duration()));
            }
        });
        if (!unknown.isEmpty()) {
            cli.console.say("Warning: " + campaign.csv().getFileName() + " has columns kling-batch does not know; they are ignored: "
                    + String.join(", ", unknown) + ".");
        }
        cli.console.say("Estimated cost of the " + (counts[0] - counts[1]) + " valid rows: about "
                + estimate[0].setScale(2, RoundingMode.HALF_UP).toPlainString() + " credits.");
        if (counts[1] == 0) {
            cli.console.say("All " + counts[0] + " rows of " + campaign.csv().getFileName() + " are valid.");
            return ExitCode.OK.code;
        }
        cli.console.say(counts[1] + " of " + counts[0] + " rows of " + campaign.csv().getFileName()
                + " are invalid and would not be sent; " + (counts[0] - counts[1]) + " are valid.");
        return ExitCode.SOME_ROWS_NOT_GENERATED.code;
    }
}
