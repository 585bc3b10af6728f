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
import org.junit.jupiter.api.Timeout;
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

    /**
     * 100,000 rows are 24 full batches of 4096 and a 25th that ends in the unclosed quote. While the checker sits
     * on row 80,000 (batch 20), the reader fills the queue with batches 21 to 24 and finds the error with no room
     * left: the error must wait for room, not be dropped (the checker would then wait for ever).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUnusableFileFoundLateWhileTheQueueIsFullStillThrows() throws Exception {
        Campaign campaign = campaign(100_000, "x,\"never closed\n");
        List<Integer> rows = new ArrayList<>();

        assertThatThrownBy(() -> checks.scan(campaign, checked -> {
            int row = checked.row().row();
            rows.add(row);
            if (row == 1 || row == 80_000) {
                sleep(500); // a slow checker: the reader runs ahead until the queue is full
            }
        })).isInstanceOf(CampaignFileException.class).hasMessageContaining("line 100002");

        assertThat(rows).isSorted().contains(80_000);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    private Campaign job(String csv, String yaml) throws Exception {
        Files.writeString(folder.resolve("campaign.csv"), csv);
        Path job = Files.writeString(folder.resolve("job.yml"), "input: campaign.csv\n" + yaml);
        return new CampaignLoader(folder).load(job, null);
    }

    @Test
    void theScanSendsTheFilledPromptAndWarnsOnlyAboutColumnsNoTemplateUses() throws Exception {
        Campaign campaign = job("id,product,colour,notes\na,shoe,red,x\nb,hat,,y\n", "prompt-template: \"A {colour} {product}\"\n");
        List<CheckedRow> rows = new ArrayList<>();

        List<String> unknown = checks.scan(campaign, rows::add);

        assertThat(unknown).containsExactly("notes");
        assertThat(((CheckedRow.Accepted) rows.get(0)).request().prompt()).isEqualTo("A red shoe");
        assertThat(((CheckedRow.Rejected) rows.get(1)).reason()).isEqualTo("colour: is empty, but prompt-template needs it for {colour}");
    }

    @Test
    void notesShowTheFirstThreeFilledPromptsOfValidRows() throws Exception {
        Campaign campaign = job("id,product,colour\na,shoe,red\nb,hat,\nc,scarf,blue\nd,sock,green\ne,glove,pink\n", """
                prompt-template: "A {colour} {product}"
                negative-prompt-template: "no {product} logos"
                """);

        assertThat(checks.notes(campaign)).containsExactly(
                "The first valid rows of campaign.csv with prompt-template and negative-prompt-template filled, as they will be sent:",
                "  row 1 (id a): prompt: A red shoe",
                "  row 1 (id a): negative_prompt: no shoe logos",
                "  row 3 (id c): prompt: A blue scarf",
                "  row 3 (id c): negative_prompt: no scarf logos",
                "  row 4 (id d): prompt: A green sock",
                "  row 4 (id d): negative_prompt: no sock logos");
    }

    @Test
    void notesWithoutTemplatesOrValidRows() throws Exception {
        assertThat(checks.notes(job("prompt\na cat\n", ""))).isEmpty();
        assertThat(checks.notes(job("product,duration\nshoe,7\n", "prompt-template: \"a {product}\"\n")))
                .containsExactly("No row of campaign.csv is valid, so prompt-template fills no prompt.");
    }

    @Test
    void notesSayOnceThatACsvWasReadAsWindows1252() throws Exception {
        Files.write(folder.resolve("campaign.csv"), "id;prompt\r\na;un café\r\n".getBytes(java.nio.charset.Charset.forName("windows-1252")));
        Campaign campaign = new CampaignLoader(folder).load(folder.resolve("campaign.csv"), null);

        assertThat(checks.notes(campaign)).containsExactly(
                "campaign.csv, line 2: read as Windows-1252 (byte 0xE9 is not UTF-8); save as CSV UTF-8 to silence this.");
    }
}
