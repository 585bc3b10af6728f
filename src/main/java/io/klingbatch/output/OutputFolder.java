package io.klingbatch.output;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which campaign an output folder belongs to ({@code .kling-batch-campaign} holds the campaign file's path). Two CSVs
 * of the same name in different places would otherwise share their default folder {@code out/<name>} by accident: one's
 * manifest would replace the other's. So a run into a folder another campaign file wrote is refused when the folder is
 * the default one. A folder the user chose ({@code --output}, or the job file's {@code output:}) is theirs to reuse, for
 * a re-downloaded CSV say: then the folder changes hands, with a note, and nothing in it is lost (a file in the way of
 * a row's video is moved aside, never overwritten).
 */
public final class OutputFolder {

    static final String MARKER = ".kling-batch-campaign";

    private OutputFolder() {
    }

    /**
     * Claims the output folder for this campaign.
     *
     * @return a note to print when a chosen folder changes hands
     * @throws CampaignFileException (exit 2) when the default folder holds another campaign file's videos
     */
    public static Optional<String> claim(Campaign campaign) {
        Path marker = campaign.output().resolve(MARKER);
        String source = campaign.source().toString();
        try {
            Files.createDirectories(campaign.output());
            if (Files.exists(marker)) {
                String owner = Files.readString(marker, StandardCharsets.UTF_8).strip();
                if (owner.equals(source) || owner.equals(campaign.csv().toString())) { // earlier versions wrote the CSV's path
                    if (!owner.equals(source)) {
                        Files.writeString(marker, source + "\n", StandardCharsets.UTF_8);
                    }
                    Files.deleteIfExists(campaign.output().resolve(".kling-batch-lock")); // earlier versions' lock file, unused now
                    return Optional.empty();
                }
                if (!campaign.outputChosen() && Files.exists(Path.of(owner))) {
                    throw new CampaignFileException(campaign.source(), "its default output folder " + campaign.output()
                            + " already holds the videos of " + owner + "; choose another folder with --output (or 'output:' in a job file)");
                }
                Files.writeString(marker, source + "\n", StandardCharsets.UTF_8);
                return Optional.of("The output folder " + campaign.output() + " held the videos of " + owner + "; they stay, and it now "
                        + "holds this campaign's (videos already made are copied, not paid again).");
            }
            Files.writeString(marker, source + "\n", StandardCharsets.UTF_8);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the output folder " + campaign.output(), e);
        }
    }

    /**
     * Puts a finished file in place of {@code to}: atomically where the file system can (a reader sees the old file or
     * the new one, never half of one), else by a plain replacing move.
     */
    public static Path replace(Path from, Path to) throws IOException {
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
