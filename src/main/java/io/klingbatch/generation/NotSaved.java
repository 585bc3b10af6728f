package io.klingbatch.generation;

import io.klingbatch.output.VideoFiles;
import java.io.UncheckedIOException;
import java.util.Locale;

/** The sentence for a paid video that could not be saved: which folder, why, and about how much space it takes. */
final class NotSaved {

    /** A Kling video of 5 to 10 seconds is a few megabytes to a few tens; until the folder has one, assume this. */
    private static final long TYPICAL_VIDEO = 20L * 1024 * 1024;

    private NotSaved() {
    }

    /** @param videos how many videos were being saved at once (each needs its own room) */
    static StopReason reason(VideoFiles files, UncheckedIOException error, int videos) {
        long each = files.averageVideoBytes() > 0 ? files.averageVideoBytes() : TYPICAL_VIDEO;
        long free = files.usableSpace();
        String cause = error.getCause() == null ? error.getMessage() : error.getCause().getMessage();
        return new StopReason(StopReason.Kind.NOT_SAVED, "a paid video could not be saved in " + files.folder() + " (" + cause + ")"
                + "; free at least " + megabytes(each * Math.max(1, videos)) + " there (about " + megabytes(each) + " per video"
                + (free >= 0 ? ", " + megabytes(free) + " free now" : "") + ")");
    }

    private static String megabytes(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.0f KB", Math.ceil(bytes / 1024.0))
                : String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / (1024.0 * 1024)));
    }
}
