package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One output folder, one campaign. Two CSVs of the same name (both {@code campaign.csv}, say) would otherwise share
 * {@code out/campaign}: one's manifest would replace the other's and their videos would push each other aside.
 * The first run writes the campaign CSV's path into {@code .kling-batch-campaign}; a run of another CSV into that
 * folder is refused before anything is paid.
 */
public final class OutputFolder {

    static final String MARKER = ".kling-batch-campaign";

    private OutputFolder() {
    }

    /** Claims the output folder for this campaign, or throws (exit 2) when it holds another campaign's videos. */
    public static void claim(Campaign campaign) {
        Path marker = campaign.output().resolve(MARKER);
        String csv = campaign.csv().toString();
        try {
            if (Files.exists(marker)) {
                String owner = Files.readString(marker, StandardCharsets.UTF_8).strip();
                if (!owner.equals(csv)) {
                    throw new CampaignFileException(campaign.source(), "its output folder " + campaign.output()
                            + " already holds the videos of " + owner + "; choose another folder with --output (or 'output:' in a job file)");
                }
                return;
            }
            Files.createDirectories(campaign.output());
            Files.writeString(marker, csv + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the output folder " + campaign.output(), e);
        }
    }
}
