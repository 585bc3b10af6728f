package io.klingbatch.generation;

import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.ledger.Claim;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.VideoRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code run --remake ID[,ID...]}: orders one new take of each named row's video (an ORDERED ledger line: nothing sent,
 * nothing owed yet), which the run then pays for like any video. The earlier take stays, beside the new one. A remake
 * that is ordered but not made yet is not ordered twice, so repeating the command after a stop makes one new take, not two.
 */
@Component
public class Remakes {

    private final CampaignReporter reporter;
    private final Ledger ledger;

    Remakes(CampaignReporter reporter, Ledger ledger) {
        this.reporter = reporter;
        this.ledger = ledger;
    }

    /**
     * Orders the new takes; returns how many were ordered.
     *
     * @throws CampaignFileException (exit 2, before anything is paid) for an id no row has, or a rejected row
     */
    public int order(CampaignRun run) {
        if (run.remake().isEmpty()) {
            return 0;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        run.remake().forEach(id -> wanted.put(id.strip().toLowerCase(Locale.ROOT), id.strip()));
        List<CheckedRow> found = new ArrayList<>();
        Map<String, List<CampaignReporter.VideoState>> videos = new LinkedHashMap<>();
        reporter.walk(run.campaign(), run.endpointId(), state -> {
            if (wanted.containsKey(state.checked().row().id().toLowerCase(Locale.ROOT))) {
                found.add(state.checked());
                videos.put(state.checked().row().id(), state.videos());
            }
        });
        List<String> missing = new ArrayList<>(wanted.keySet());
        found.forEach(row -> missing.remove(row.row().id().toLowerCase(Locale.ROOT)));
        if (!missing.isEmpty()) {
            throw new CampaignFileException(run.campaign().csv(), "--remake names " + (missing.size() == 1 ? "an id" : "ids")
                    + " no row has: " + String.join(", ", missing.stream().map(wanted::get).toList()));
        }
        int ordered = 0;
        for (CheckedRow row : found) {
            if (row instanceof CheckedRow.Rejected rejected) {
                throw new CampaignFileException(run.campaign().csv(), "--remake names row " + rejected.row().row() + " (id "
                        + rejected.row().id() + "), which is rejected: " + rejected.reason());
            }
            // per format: the highest take the row stands for; one more is ordered when that one was made
            Map<String, CampaignReporter.VideoState> last = new LinkedHashMap<>();
            for (CampaignReporter.VideoState video : videos.getOrDefault(row.row().id(), List.of())) {
                last.put(video.spec().request().fingerprint(), video);
            }
            for (CampaignReporter.VideoState video : last.values()) {
                LedgerEntry latest = video.video();
                if (latest == null || latest.state() != LedgerState.PAID && latest.state() != LedgerState.UNCERTAIN) {
                    continue; // no video yet, or the last remake is still to be made: this run makes it
                }
                VideoRequest request = video.spec().request();
                VideoKey next = latest.key().withTake(latest.key().take() + 1);
                if (ledger.order(next, new Claim(request.duration(), request.mode(), null, run.campaign().name(), row.row().id(), null, null))) {
                    ordered++;
                }
            }
        }
        return ordered;
    }
}
