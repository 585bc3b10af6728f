package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which campaign a command is about: the file the user named, and the output folder if they gave one. */
final class CampaignSelection {

    @Parameters(paramLabel = "<campaign.csv | jobs/NAME.yml>", description = "A campaign CSV, or a job file that names one.")
    Path campaignFile;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: the job file's 'output', else out/<campaign>).")
    Path output;

    Campaign load(Path workingDirectory) {
        return new CampaignLoader(workingDirectory).load(campaignFile, output);
    }
}
