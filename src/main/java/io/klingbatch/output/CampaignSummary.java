package io.klingbatch.output;

import io.klingbatch.ledger.Spend;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's state in numbers, from the CSV and the ledger: what the console, the manifest and {@code status} show.
 *
 * @param spend            what this campaign paid (or may have been charged) on this API, over all its runs
 * @param lowestBalance    the lowest balance the API reported in the campaign's last run, or null
 * @param uncertain        the rows that may have been charged without a result: id and why
 * @param missingFiles     videos paid for into this folder that are no longer there
 * @param elsewhere        videos made earlier on a disk this machine cannot reach (named, not copied)
 * @param copied           rows whose video was made earlier for another row or campaign
 * @param inFlight         videos being made right now (submitted, or on the wire in a live run)
 * @param lines            manifest lines: one per video (formats, takes), one per rejected row; equals {@code rows} when
 *                         every row makes one video
 */
public record CampaignSummary(int rows, Map<VideoStatus, Integer> counts, Spend spend, BigDecimal lowestBalance,
                              List<String> unknownColumns, List<Uncertain> uncertain, List<String> missingFiles, List<String> elsewhere,
                              int copied, int inFlight, int lines) {

    /** A row that may have been charged without a result. */
    public record Uncertain(String id, int row, String reason) {
    }

    public int count(VideoStatus status) {
        return counts.getOrDefault(status, 0);
    }

    /** Rows that still have a video to make: pending, failed, uncertain. */
    public int left() {
        return count(VideoStatus.PENDING) + count(VideoStatus.FAILED) + count(VideoStatus.UNCERTAIN);
    }

    /** Every video of every row is made (no row rejected, none left). */
    public boolean allGenerated() {
        return count(VideoStatus.GENERATED) == lines;
    }

    /** Whether some rows make several videos (formats, takes): counts are then of videos, not rows. */
    public boolean fannedOut() {
        return lines != rows;
    }

    /** Credits spent by this campaign on its paid videos (the estimate where the API did not say). */
    public BigDecimal spent() {
        return spend.paid();
    }

    static Map<VideoStatus, Integer> emptyCounts() {
        Map<VideoStatus, Integer> counts = new EnumMap<>(VideoStatus.class);
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status, 0);
        }
        return counts;
    }
}
