package io.klingbatch.generation;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's state in numbers, from the CSV and the ledger: what the console, the manifest and (later) the
 * status command and report all show.
 *
 * @param spent             credits of every paid call of this campaign (older versions included)
 * @param remainingCredits  the balance the API reported last, or null
 * @param uncertainReasons  why rows are UNCERTAIN (distinct reasons)
 * @param missingFiles      videos that were paid for but are no longer in the output folder
 */
public record CampaignSummary(int rows, Map<VideoStatus, Integer> counts, BigDecimal spent, BigDecimal remainingCredits,
                              List<String> unknownColumns, List<String> uncertainReasons, List<String> missingFiles) {

    public int count(VideoStatus status) {
        return counts.getOrDefault(status, 0);
    }

    /** Rows that still have a video to make: pending, failed, uncertain. */
    public int left() {
        return count(VideoStatus.PENDING) + count(VideoStatus.FAILED) + count(VideoStatus.UNCERTAIN);
    }

    /** Every row that can have a video has one. */
    public boolean allGenerated() {
        return count(VideoStatus.GENERATED) == rows;
    }

    static Map<VideoStatus, Integer> emptyCounts() {
        Map<VideoStatus, Integer> counts = new EnumMap<>(VideoStatus.class);
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status, 0);
        }
        return counts;
    }
}
