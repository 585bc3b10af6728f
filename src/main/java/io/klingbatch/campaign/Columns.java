package io.klingbatch.campaign;

import java.util.List;

/**
 * The CSV columns kling-batch understands. Any other column is kept for templates ({@code {column}} in a job file's
 * {@code prompt-template}); one that no template uses is warned about once, or refused when it is a near miss of a
 * known name ({@code promt}).
 */
public final class Columns {

    public static final String ID = "id";
    public static final String PROMPT = "prompt";
    public static final String NEGATIVE_PROMPT = "negative_prompt";
    public static final String CFG_SCALE = "cfg_scale";
    public static final String DURATION = "duration";
    public static final String MODE = "mode";
    public static final String ASPECT_RATIO = "aspect_ratio";
    public static final String IMAGE_URL = "image_url";
    /** Several aspect ratios for one row, {@code 16:9|9:16}: one video per format. */
    public static final String ASPECT_RATIOS = "aspect_ratios";

    /** The aspect ratios Kling 2.5 Turbo makes. */
    public static final List<String> ASPECT_RATIO_VALUES = List.of("16:9", "1:1", "9:16");

    /** Every known column, in the order the manifest and docs list them. */
    public static final List<String> ALL =
            List.of(ID, PROMPT, NEGATIVE_PROMPT, CFG_SCALE, DURATION, MODE, ASPECT_RATIO, IMAGE_URL, ASPECT_RATIOS);

    /** Columns a job file's {@code defaults:} may set (an id or a prompt is per row by nature). */
    public static final List<String> DEFAULTABLE = List.of(NEGATIVE_PROMPT, CFG_SCALE, DURATION, MODE, ASPECT_RATIO, IMAGE_URL);

    private Columns() {
    }

    /**
     * A header's or placeholder's name as kling-batch compares it: without surrounding spaces, lower case, and each run
     * of spaces, hyphens or underscores inside as one underscore ({@code Aspect Ratio} and {@code aspect-ratio} are
     * {@code aspect_ratio}).
     */
    public static String normalize(String name) {
        String stripped = name.strip();
        StringBuilder out = new StringBuilder(stripped.length());
        boolean gap = false;
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c == ' ' || c == '-' || c == '_' || c == '\u00A0' || Character.isWhitespace(c)) {
                gap = true;
            } else {
                if (gap && out.length() > 0) {
                    out.append('_');
                }
                gap = false;
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }
}
