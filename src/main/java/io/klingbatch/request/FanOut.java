package io.klingbatch.request;

import io.klingbatch.campaign.Columns;
import io.klingbatch.campaign.FirstRows;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.campaign.VideoOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked row's videos: one per format (the row's {@code aspect_ratios} cell, else its own {@code aspect_ratio} when
 * set, else the job file's {@code formats}, else the default), each named by the job file's {@code name-pattern}. A row
 * with an image makes one video: the API follows the image's shape, so several formats would be identical videos.
 *
 * <p>Two videos that would get the same file name are caught before anything is paid: the later row is rejected,
 * naming the earlier one. That needs every earlier row, so a {@link Names} follows one pass over the campaign in CSV
 * order, and the same rows are rejected whichever partition of a run reads them.
 */
public final class FanOut {

    private final List<String> formats;
    private final NamePattern names;

    public FanOut(VideoOptions options) {
        this.formats = options.formats();
        this.names = new NamePattern(options.namePattern());
    }

    /** The row's videos, or the row rejected for its formats or its name. */
    public CheckedRow apply(CheckedRow checked) {
        if (!(checked instanceof CheckedRow.Accepted accepted)) {
            return checked;
        }
        PromptRow row = accepted.row();
        VideoRequest request = accepted.request();
        List<FieldError> errors = new ArrayList<>();
        List<String> rowFormats = formatsOf(row, request, errors);
        List<VideoSpec> videos = new ArrayList<>();
        for (String format : rowFormats) {
            try {
                String name = names.name(row, rowFormats.size() > 1 ? format : null);
                videos.add(new VideoSpec(format, format.equals("image") ? request : request.withAspectRatio(format), name));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("name-pattern", e.getMessage()));
                break;
            }
        }
        return errors.isEmpty() ? new CheckedRow.Accepted(row, request, videos) : new CheckedRow.Rejected(row, List.copyOf(errors));
    }

    private List<String> formatsOf(PromptRow row, VideoRequest request, List<FieldError> errors) {
        if (request.image() != null) {
            return List.of(request.aspectRatio());
        }
        String cell = row.cell(Columns.ASPECT_RATIOS).strip();
        if (!cell.isEmpty()) {
            List<String> own = new ArrayList<>();
            for (String value : cell.split("[|,;]")) {
                String format = value.strip();
                if (!Columns.ASPECT_RATIO_VALUES.contains(format)) {
                    errors.add(new FieldError(Columns.ASPECT_RATIOS, "'" + format + "' is not one of "
                            + String.join(", ", Columns.ASPECT_RATIO_VALUES) + " (separate several with |)"));
                } else if (!own.contains(format)) {
                    own.add(format);
                }
            }
            return own;
        }
        if (!row.cell(Columns.ASPECT_RATIO).isBlank() || formats.isEmpty()) {
            return List.of(request.aspectRatio());
        }
        return formats;
    }

    /** Whether a row has an image while the campaign asks for several formats (said once: it makes one video). */
    public boolean imageInsteadOfFormats(CheckedRow checked) {
        return checked instanceof CheckedRow.Accepted accepted && accepted.request().image() != null
                && (formats.size() > 1 || !accepted.row().cell(Columns.ASPECT_RATIOS).isBlank());
    }

    /** The file names used so far in a pass over the campaign, in CSV order: a later row reusing one is rejected. */
    public static final class Names {

        private final FirstRows used; // by a hash of the name: a million rows stay small, no row is kept

        /** @param expectedRows a guess, so the table is made once ({@link io.klingbatch.campaign.Campaign#expectedRows()}) */
        public Names(long expectedRows) {
            this.used = new FirstRows(expectedRows);
        }

        public CheckedRow check(CheckedRow checked) {
            if (!(checked instanceof CheckedRow.Accepted accepted)) {
                return checked;
            }
            List<FieldError> errors = new ArrayList<>();
            for (VideoSpec video : accepted.videos()) {
                int first = used.putIfAbsent(video.name(), accepted.row().row());
                if (first != 0 && first != accepted.row().row()) {
                    errors.add(new FieldError("name", "'" + video.name() + "' is also the name of a video of row " + first
                            + "; two videos cannot share a file name (change name-pattern or the cells it uses)"));
                }
            }
            return errors.isEmpty() ? checked : new CheckedRow.Rejected(accepted.row(), List.copyOf(errors));
        }
    }
}
