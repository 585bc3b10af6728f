package io.klingbatch.campaign;

import java.util.List;

/**
 * How many videos a row makes and what they are called, as the job file says (the command line may raise the takes).
 *
 * @param formats     aspect ratios every row is made in ({@code formats: [16:9, 9:16, 1:1]}); empty: one video per row
 *                    in its own {@code aspect_ratio}
 * @param takes       videos per row and format, each its own paid call (creative teams pick the best of several)
 * @param namePattern the file name of a row's video, from its cells ({@code {id}}, {@code {product}-{city}}, ...);
 *                    {@code -<format>} is added when a row has several formats, {@code -take<n>} for takes after the first
 */
public record VideoOptions(List<String> formats, int takes, String namePattern) {

    public static final String DEFAULT_NAME = "{id}";
    public static final VideoOptions NONE = new VideoOptions(List.of(), 1, DEFAULT_NAME);

    public VideoOptions {
        formats = formats == null ? List.of() : List.copyOf(formats);
        namePattern = namePattern == null || namePattern.isBlank() ? DEFAULT_NAME : namePattern.strip();
    }

    /**
     * The name pattern's placeholders as a template whose columns the campaign file must have: every placeholder but
     * {@code {id}} (a row without an id column gets one) and {@code {format}} (not a column).
     *
     * @throws IllegalArgumentException when a brace is unmatched
     */
    static PromptTemplate columnsOf(String namePattern) {
        return PromptTemplate.parse("name-pattern", namePattern);
    }

    /** Whether {@code column}, a placeholder of a name pattern, is filled from somewhere else than a cell of that name. */
    static boolean notACell(String column) {
        return column.equals(Columns.ID) || column.equals("format");
    }

    public VideoOptions withTakes(int newTakes) {
        return new VideoOptions(formats, newTakes, namePattern);
    }
}
