package io.klingbatch.cli;

import io.klingbatch.ledger.Spend;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.VideoStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run sentences {@code run} and {@code status} share: counts, and credits said honestly. */
final class Summaries {

    private Summaries() {
    }

    /** {@code 5 of 6 rows generated (2 copied from earlier videos), 1 rejected; 4.4 credits spent, 15.6 left.} */
    static String counts(CampaignSummary summary) {
        List<String> parts = new ArrayList<>();
        parts.add(summary.count(VideoStatus.GENERATED) + " of " + (summary.fannedOut() ? summary.lines() + " videos" : Words.rows(summary.rows()))
                + " generated"
                + (summary.copied() > 0 ? " (" + summary.copied() + " copied from earlier videos)" : ""));
        for (VideoStatus status : List.of(VideoStatus.REJECTED, VideoStatus.FAILED, VideoStatus.UNCERTAIN, VideoStatus.PENDING)) {
            if (summary.count(status) > 0) {
                parts.add(summary.count(status) + " " + status.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(", ", parts) + "; " + credits(summary) + ".";
    }

    /**
     * Credits spent by this campaign (never 0 when videos were paid for: the estimate stands in where the API did not
     * say), what may have been charged without a result, and the lowest balance the API reported.
     */
    static String credits(CampaignSummary summary) {
        return (summary.spend().estimated() > 0 ? "about " : "") + plain(summary.spend().paid()) + " credits spent" + afterSpent(summary);
    }

    /** For {@code status}: {@code credits spent 0.88, 42.5 left}. */
    static String creditsLine(CampaignSummary summary) {
        return "credits spent " + (summary.spend().estimated() > 0 ? "about " : "") + plain(summary.spend().paid()) + afterSpent(summary);
    }

    private static String afterSpent(CampaignSummary summary) {
        Spend spend = summary.spend();
        String spent = "";
        if (spend.possiblyCount() > 0) {
            spent += ", up to " + plain(spend.possibly()) + " more possibly charged (" + spend.possiblyCount() + " uncertain)";
        }
        if (summary.lowestBalance() != null) {
            spent += ", " + plain(summary.lowestBalance()) + " left";
        }
        return spent;
    }

    static String uncertainNote(CampaignSummary summary) {
        if (summary.count(VideoStatus.UNCERTAIN) == 0) {
            return "";
        }
        return " " + summary.count(VideoStatus.UNCERTAIN) + " uncertain " + (summary.count(VideoStatus.UNCERTAIN) == 1 ? "row" : "rows")
                + " may have been charged without a result (" + summary.uncertain().get(0).reason() + "); not resent unless you add "
                + "--resend-uncertain.";
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
