package io.klingbatch.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.CampaignLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-file scan reads ahead on a second thread: rows stay in order, errors reach the caller, no thread is left. */
class CampaignChecksTest {

    @TempDir
    Path folder;

    private final CampaignChecks checks = new CampaignChecks(new RequestProperties(List.of("pro")));

    @Test
    void handsOnEveryRowInCsvOrderAcrossBatches() throws Exception {
        List<Integer> rows = new ArrayList<>();

        checks.scan(campaign(20_000, ""), checked -> rows.add(checked.row().row()));

        assertThat(rows).hasSize(20_000).isSorted();
        assertThat(rows.get(19_999)).isEqualTo(20_000);
    }

    @Test
    void anUnusableFileFoundLateStillThrowsOnTheCallersThread() throws Exception {
        assertThatThrownBy(() -> checks.scan(campaign(10_000, "x,\"never closed\n"), checked -> { }))
                .isInstanceOf(CampaignFileException.class).hasMessageContaining("line 10002");
    }

    @Test
    void aConsumerThatStopsEarlyLeavesNoReaderBehind() throws Exception {
        assertThatThrownBy(() -> checks.scan(campaign(50_000, ""), checked -> {
            if (checked.row().row() == 5) {
                throw new IllegalStateException("stop here");
            }
        })).hasMessage("stop here");

        for (int i = 0; i < 50 && readers() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(readers()).isZero();
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("kling-csv-reader") && t.isAlive()).count();
    }

    private Campaign campaign(int rows, String tail) throws Exception {
        StringBuilder csv = new StringBuilder("id,prompt\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("r").append(i).append(",prompt ").append(i).append('\n');
        }
        csv.append(tail);
        Path file = Files.writeString(folder.resolve("big.csv"), csv);
        return new CampaignLoader(folder).load(file, null);
    }
}
