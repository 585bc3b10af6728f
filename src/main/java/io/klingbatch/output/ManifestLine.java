package io.klingbatch.output;

import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.request.CheckedRow;
import java.math.BigDecimal;

/**
 * One line of {@code manifest.csv}: one video of a CSV row. Nullable fields are empty cells. The last three columns
 * came later and are appended, never inserted: {@code format} (the aspect ratio asked for), {@code take} and
 * {@code made_for} (the campaign a video made earlier was paid for, when this row got a copy of it).
 *
 * @param checked the row as checked (not a column)
 * @param video   the ledger line of the row's video, or null (not a column)
 * @param toSend  whether a run would still pay for this video (not a column)
 * @param placement where a GENERATED row's video is, else null (not a column)
 */
public record ManifestLine(String id, int row, VideoStatus status, String file, Long bytes, String sha256, int attempts,
                           BigDecimal cost, BigDecimal remainingCredits, String requestId, String error, String format, int take,
                           String madeFor, CheckedRow checked, LedgerEntry video, boolean toSend, Placement.Kind placement) {

    ManifestLine(String id, int row, VideoStatus status, String file, Long bytes, String sha256, int attempts, BigDecimal cost,
                 BigDecimal remainingCredits, String requestId, String error, String format, int take, String madeFor, CheckedRow checked,
                 LedgerEntry video, boolean toSend) {
        this(id, row, status, file, bytes, sha256, attempts, cost, remainingCredits, requestId, error, format, take, madeFor, checked,
                video, toSend, null);
    }

    static final String[] COLUMNS = {"id", "row", "status", "file", "bytes", "sha256", "attempts", "cost", "remaining_credits",
            "request_id", "error", "format", "take", "made_for"};

    String[] cells() {
        return new String[] {id, String.valueOf(row), status.name(), text(file), text(bytes), text(sha256), String.valueOf(attempts),
                text(cost), text(remainingCredits), text(requestId), text(error), text(format), take == 0 ? "" : String.valueOf(take),
                text(madeFor)};
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof BigDecimal number ? number.stripTrailingZeros().toPlainString() : value.toString();
    }
}
