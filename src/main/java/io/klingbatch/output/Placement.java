package io.klingbatch.output;

/**
 * Where a row's video stands in its output folder after {@link VideoFiles#place}.
 *
 * @param fileName the row's file in the folder, or null when the video is not here
 * @param elsewhere where the video is when it could not be copied here ({@code host:/path}), else null
 * @param madeFor   the campaign the video was made (and paid) for
 */
public record Placement(Kind kind, String fileName, String elsewhere, String madeFor) {

    public enum Kind {
        /** The folder already holds it under the row's name. */
        IN_PLACE,
        /** Made earlier (for another row, campaign or folder): linked or copied in now, not paid again. */
        COPIED,
        /** Made earlier on a disk this machine cannot reach: named where it is, not paid again. */
        ELSEWHERE,
        /** Paid for into this folder, and no longer there nor anywhere known: restore it from a backup. */
        MISSING
    }
}
