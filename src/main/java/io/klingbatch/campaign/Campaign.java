package io.klingbatch.campaign;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * A campaign as the command line resolved it: which CSV (or .xlsx workbook), where its videos go, and what its job file set.
 *
 * @param name     the CSV's or job file's name without extension (the default output is {@code out/<name>})
 * @param source   the file the user named (a job file or the CSV itself), absolute
 * @param csv      the campaign CSV, absolute
 * @param output   the output folder, absolute
 * @param defaults per-column defaults from the job file (column name to cell text); empty for a bare CSV
 * @param client   client settings from the job file
 * @param options  concurrency, request rate, API shape and budget from the job file
 * @param outputChosen whether the user chose the output folder ({@code --output} or the job file's {@code output:}) rather
 *                 than taking the default {@code out/<name>}
 * @param videos   formats, takes and file names of the videos each row makes
 * @param sheet    the job file's {@code sheet:} (the sheet of an .xlsx input to read), or null for the first sheet
 * @param promptTemplate the job file's {@code prompt-template}, or null: the prompt is then the {@code prompt} cell
 * @param negativePromptTemplate the job file's {@code negative-prompt-template}, or null
 * @param schedule the job file's {@code schedule:} (a Spring cron expression, checked), or null
 * @param webhook  the job file's {@code notify: webhook-url:}, or null
 */
public record Campaign(String name, Path source, Path csv, Path output, Map<String, String> defaults, ClientOptions client,
                       RunOptions options, boolean outputChosen, VideoOptions videos, String sheet, PromptTemplate promptTemplate,
                       PromptTemplate negativePromptTemplate, String schedule, URI webhook) {

    /** A campaign of one video per row, without sheet, templates, schedule or notification: a bare CSV, or a job file that sets none. */
    public Campaign(String name, Path source, Path csv, Path output, Map<String, String> defaults, ClientOptions client,
                    RunOptions options, boolean outputChosen) {
        this(name, source, csv, output, defaults, client, options, outputChosen, VideoOptions.NONE, null, null, null, null, null);
    }

    /** A guess of the rows, from the file's size, to size per-row tables once ({@link #rowsIn}). */
    public long expectedRows() {
        try {
            return rowsIn(java.nio.file.Files.size(csv));
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** A guess of the rows in a campaign file of {@code bytes}: a row of a real campaign is rarely shorter than ~100 bytes. */
    static long rowsIn(long bytes) {
        return bytes / 96;
    }

    /** The folder local images are resolved against, and confined to. */
    public Path csvFolder() {
        return csv.getParent();
    }

    public Campaign withOutput(Path newOutput) {
        return new Campaign(name, source, csv, newOutput.toAbsolutePath().normalize(), defaults, client, options, true, videos, sheet,
                promptTemplate, negativePromptTemplate, schedule, webhook);
    }

    /** This campaign with N takes of each video ({@code --takes N}). */
    public Campaign withTakes(int takes) {
        return new Campaign(name, source, csv, output, defaults, client, options, outputChosen, videos.withTakes(takes), sheet,
                promptTemplate, negativePromptTemplate, schedule, webhook);
    }
}
