package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.Optional;

/**
 * One output folder, one campaign. Two CSVs of the same name (both {@code campaign.csv}, say) would otherwise share
 * {@code out/campaign}: one's manifest would replace the other's and their videos would push each other aside.
 * The first run writes the campaign CSV's path into {@code .kling-batch-campaign}; a run of another CSV into that
 * folder is refused before anything is paid.
 */
public final class OutputFolder {

    static final String MARKER = ".kling-batch-campaign";
    static final String LOCK = ".kling-batch-lock";

    private OutputFolder() {
    }

    /**
     * Locks the output folder for one run (an operating-system lock, released by the OS when the process dies,
     * however it dies). Empty when another process, or another run in this one, holds it. While it is held, a run
     * the job repository still marks as running cannot be alive.
     */
    public static Optional<AutoCloseable> lock(Campaign campaign) {
        try {
            Files.createDirectories(campaign.output());
            FileChannel channel = FileChannel.open(campaign.output().resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return Optional.of(() -> {
                        lock.release();
                        channel.close();
                    });
                }
            } catch (OverlappingFileLockException heldHere) {
                // a run of this process holds it
            }
            channel.close();
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the output folder " + campaign.output(), e);
        }
    }

    /** Whether a run holds the folder right now (for {@code status}). */
    public static boolean running(Campaign campaign) {
        if (!Files.isDirectory(campaign.output())) {
            return false;
        }
        Optional<AutoCloseable> lock = lock(campaign);
        lock.ifPresent(OutputFolder::release);
        return lock.isEmpty();
    }

    private static void release(AutoCloseable lock) {
        try {
            lock.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the output folder's lock", e);
        }
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
