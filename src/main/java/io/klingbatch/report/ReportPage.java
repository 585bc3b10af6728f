package io.klingbatch.report;

import java.util.List;

/**
 * What {@code report.html} shows, as plain values for the template: every text here is raw (a CSV cell as typed); the
 * template escapes all of it.
 *
 * @param campaign  the campaign's name
 * @param csv       the campaign CSV, as a path
 * @param output    the output folder, as a path
 * @param api       the API the videos were paid to, in words
 * @param written   when the report was written, for people
 * @param writtenIso the same, ISO-8601
 * @param rows      the campaign's CSV data rows
 * @param totals    rows by status, in the manifest's order of statuses (for the totals and the filter)
 * @param credits   the credits lines: spent, possibly charged, lowest balance reported
 * @param notes     sentences about the campaign as a whole (videos copied, in flight, unknown columns)
 * @param groups    the gallery: one group per CSV row that has a generated video, in CSV order
 * @param problems  rows without a video: rejected, failed, uncertain and pending, in CSV order
 */
public record ReportPage(String campaign, String csv, String output, String api, String written, String writtenIso, int rows,
                         List<Total> totals,
                         List<Fact> credits, List<String> notes, List<Group> groups, List<Problem> problems) {

    /** How many rows have one status; {@code status} is the manifest's word (GENERATED...), {@code label} for people. */
    public record Total(String status, String label, int count) {
    }

    /** A label and its value, both raw text. */
    public record Fact(String label, String value) {
    }

    /**
     * The videos of one CSV row (formats, takes), side by side.
     *
     * @param statuses the statuses of its tiles, space-separated (the filter hides a group whose tiles are all hidden)
     */
    public record Group(String id, int row, int line, String prompt, List<Tile> tiles, String statuses) {
    }

    /**
     * One generated video.
     *
     * @param src      the video's address relative to the report (URL-encoded), or null when it cannot be played from here
     * @param file     the file as the manifest names it (in the folder, or {@code host:/path})
     * @param note     why there is no player (the video is on another machine, or missing), else null
     * @param label    what tells it from the row's other videos: its format and take
     * @param aspect   a CSS class for the player's shape: {@code wide}, {@code tall} or {@code square}
     * @param made     when it was made, for people; {@code madeIso} the same in ISO-8601 (null when unknown)
     */
    public record Tile(String id, int row, String status, String src, String file, String note, String label, String aspect,
                       List<Fact> details, String cost, String made, String madeIso, String size, String requestId) {
    }

    /** A row without a video: why, and what to do about it. */
    public record Problem(String id, int row, int line, String status, String reason, String todo, String prompt) {
    }
}
