package io.klingbatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.segmind.SegmindSimulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every stop pays nothing extra: a real child JVM, a real signal at a chosen moment, and a fake API in this JVM that
 * counts what it was paid for, per prompt. Money and files are checked, not only exit codes.
 */
class StopsTest {

    static final Duration START = Duration.ofSeconds(60);
    static final String KEY = "stops-test-key";

    @TempDir
    Path temp;

    Path work;

    @BeforeEach
    void campaign() throws Exception {
        work = temp.resolve("work");
        Files.createDirectories(work);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void theFirstSignalLetsTheCallsInFlightFinishSavesThemAndStopsRestartably(String signal) throws Exception {
        writeCampaign(8);
        try (SegmindSimulator api = api()) {
            api.hold();
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--concurrency", "3")) {
                assertThat(api.awaitInFlight(3, START)).as(child::describe).isTrue();
                child.signal(signal);
                assertThat(child.awaitOutput("Stopping: no new call starts", START)).as(child::describe).isTrue();
                assertThat(child.output()).contains("Waiting for 3 calls in flight", "Press Ctrl-C again");
                api.release();

                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
                assertThat(child.stdout()).contains("Stopped: interrupted (SIG" + signal + ")", "Run the same command again to continue");
            }
            assertThat(api.paid()).isEqualTo(3);
            assertThat(videos()).hasSize(3);
            assertThat(ledger()).containsOnlyKeys(rowIdsPaid(api)).allSatisfy((row, state) -> assertThat(state).isEqualTo("PAID"));
            assertThat(work.resolve("out/campaign/manifest.csv")).exists();
            assertThat(lastExecutionStatus()).isEqualTo("STOPPED");

            try (ChildJvm again = child(api).start("run", "campaign.csv", "--concurrency", "3")) {
                assertThat(again.waitFor(START)).as(again::describe).isZero();
            }
            assertThat(api.paid()).isEqualTo(8);
            assertEachPromptPaidOnce(api, 8);
            assertThat(videos()).hasSize(8);
        }
    }

    @Test
    void aSignalDuringAFourHundredTwentyNineWaitStopsAtOnce() throws Exception {
        writeCampaign(3);
        try (SegmindSimulator api = api()) {
            api.rateLimitUntil(java.time.Instant.now().plus(Duration.ofHours(3)));
            try (ChildJvm child = child(api).systemProperty("segmind.max-rate-limit-wait", "10m").start("run", "campaign.csv")) {
                assertThat(child.awaitOutput("Campaign campaign:", START)).as(child::describe).isTrue();
                Thread.sleep(2000); // the first request was answered 429: the run now waits for the reset, three hours ahead
                long signalled = System.nanoTime();
                child.signal("INT");
                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
                assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(20));
            }
            assertThat(api.paid()).isZero();
            assertThat(ledger().values()).as("nothing claimed: a 429 gives the claim back before waiting").doesNotContain("SENT", "UNCERTAIN");
        }
    }

    @Test
    void aSignalUnderABudgetWhileThePriceIsStillUnknownStopsCleanly() throws Exception {
        writeCampaign(6);
        try (SegmindSimulator api = api()) {
            api.hold();
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--concurrency", "3", "--max-credits", "10")) {
                assertThat(api.awaitInFlight(1, START)).as(child::describe).isTrue(); // the one call that learns the price
                Thread.sleep(500); // the other workers wait for it
                child.signal("TERM");
                assertThat(child.awaitOutput("Stopping: no new call starts", START)).as(child::describe).isTrue();
                api.release();
                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
                assertThat(child.stdout()).contains("Stopped: interrupted (SIGTERM)").doesNotContain("cannot be reached");
            }
            assertThat(api.paid()).isEqualTo(1);
            assertThat(ledger().values()).containsExactly("PAID");
            assertThat(work.resolve("out/campaign/manifest.csv")).exists();
            assertThat(lastExecutionStatus()).isEqualTo("STOPPED");
        }
    }

    @Test
    void aSecondSignalAbandonsTheCallsInFlightAsUncertain() throws Exception {
        writeCampaign(4);
        try (SegmindSimulator api = api()) {
            api.hold();
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--concurrency", "2")) {
                assertThat(api.awaitInFlight(2, START)).as(child::describe).isTrue();
                child.signal("INT");
                assertThat(child.awaitOutput("Stopping: no new call starts", START)).as(child::describe).isTrue();
                child.signal("INT");

                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
                assertThat(child.stdout()).contains("Abandoning 2 calls in flight");
            }
            api.release();
            assertThat(api.paid()).isEqualTo(2);
            assertThat(ledger().values()).containsExactly("UNCERTAIN", "UNCERTAIN");
            assertThat(videos()).isEmpty();

            try (ChildJvm again = child(api).start("run", "campaign.csv", "--concurrency", "2")) {
                assertThat(again.waitFor(START)).as(again::describe).isEqualTo(1); // 2 rows uncertain: not resent
            }
            assertThat(api.paid()).as("the uncertain rows are not paid again").isEqualTo(4);
            assertEachPromptPaidOnce(api, 4);
        }
    }

    @Test
    void aV1RunKilledLosesAtMostTheCallsInFlightAndTheNextRunWaitsForItsLeaseToLapse() throws Exception {
        writeCampaign(6);
        try (SegmindSimulator api = api()) {
            api.hold();
            try (ChildJvm child = child(api).systemProperty("kling.lease.ttl", "30s").systemProperty("kling.lease.renew-every", "5s")
                    .start("run", "campaign.csv", "--concurrency", "2")) {
                assertThat(api.awaitInFlight(2, START)).as(child::describe).isTrue();
                child.signal("KILL");
                assertThat(child.waitFor(START)).isEqualTo(137);
            }
            api.release();
            try (ChildJvm again = child(api).systemProperty("kling.lease.ttl", "30s").systemProperty("kling.lease.renew-every", "5s")
                    .start("run", "campaign.csv", "--concurrency", "2")) {
                assertThat(again.waitFor(START)).as(again::describe).isEqualTo(1);
                assertThat(again.stdout()).contains("has stopped renewing its lease; waiting up to");
            }
            assertThat(api.paid()).as("2 lost in flight (UNCERTAIN, at most one per worker), 4 made").isEqualTo(6);
            assertEachPromptPaidOnce(api, 6);
            assertThat(ledger().values().stream().filter("UNCERTAIN"::equals)).hasSize(2);
            assertThat(videos()).hasSize(4);
        }
    }

    @Test
    void aV2RunKilledRightAfterASubmitPaysNothingAgain() throws Exception {
        writeCampaign(3);
        try (SegmindSimulator api = api()) {
            api.setLatency(Duration.ofSeconds(8)); // submitted requests are still being made when the run is killed
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--api", "v2", "--concurrency", "1")) {
                assertThat(api.awaitPaid(2, START)).as(child::describe).isTrue();
                Thread.sleep(100); // the second submit was answered; its ledger line is committed in the meantime
                child.signal("KILL");
                assertThat(child.waitFor(START)).isEqualTo(137);
            }
            int paidBeforeKill = api.paid();
            try (ChildJvm again = child(api).start("run", "campaign.csv", "--api", "v2", "--concurrency", "1")) {
                assertThat(again.waitFor(START)).as(again::describe).isZero();
            }
            assertThat(paidBeforeKill).isBetween(2, 3);
            assertThat(api.paid()).as("a submitted request is collected, never submitted again").isEqualTo(3);
            assertEachPromptPaidOnce(api, 3);
            assertThat(videos()).hasSize(3);
        }
    }

    @Test
    void theFirstVideoThatCannotBeSavedStopsEveryWorker() throws Exception {
        writeCampaign(10);
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("100")).videoBytes(200 * 1024).start();
             TmpFs disk = TmpFs.mount(temp.resolve("small-disk"), 512)) {
            Path output = disk.path().resolve("videos");
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--concurrency", "3", "--output", output.toString())) {
                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
                assertThat(child.stdout()).contains("a paid video could not be saved in " + output, "free at least");
            }
            long saved;
            try (Stream<Path> files = Files.list(output)) {
                saved = files.filter(file -> file.toString().endsWith(".mp4")).count();
            }
            assertThat(api.paid() - saved).as("paid but not saved: at most one per worker").isBetween(1L, 3L);
            assertThat(ledger().values().stream().filter("UNCERTAIN"::equals).count()).isEqualTo(api.paid() - saved);
            try (Stream<Path> files = Files.list(output)) {
                assertThat(files.filter(file -> file.toString().endsWith(".part"))).isEmpty();
            }
        }
    }

    @Test
    void aV2ResultPaidButNotSavedIsDownloadedAgainByTheNextRunWithoutPaying() throws Exception {
        writeCampaign(6);
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("100")).videoBytes(200 * 1024).start();
             TmpFs disk = TmpFs.mount(temp.resolve("small-disk"), 512)) {
            Path output = disk.path().resolve("videos");
            try (ChildJvm child = child(api).start("run", "campaign.csv", "--api", "v2", "--concurrency", "2", "--output", output.toString())) {
                assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
            }
            int paid = api.paid();
            long saved;
            try (Stream<Path> files = Files.list(output)) {
                saved = files.filter(file -> file.toString().endsWith(".mp4")).count();
            }
            assertThat(saved).isLessThan(paid);
            assertThat(ledger().values()).as("paid, not saved: still SUBMITTED, to be downloaded again").contains("SUBMITTED");
            new ProcessBuilder("mount", "-o", "remount,size=4m", disk.path().toString()).inheritIO().start().waitFor();
            try (ChildJvm again = child(api).start("run", "campaign.csv", "--api", "v2", "--concurrency", "2", "--output", output.toString())) {
                assertThat(again.waitFor(START)).as(again::describe).isZero();
            }
            assertThat(api.paid()).as("what was submitted is downloaded, not paid again").isEqualTo(6);
            assertEachPromptPaidOnce(api, 6);
            assertThat(ledger().values()).containsOnly("PAID");
        }
    }

    @Test
    void theJobRepositoryIsUnderHomeNotTheWorkingDirectoryAndAnOldOneThereIsImported() throws Exception {
        writeCampaign(2);
        Path home = temp.resolve("home");
        try (SegmindSimulator api = api()) {
            try (ChildJvm child = ChildJvm.builder(work, home, temp.resolve("unused")).withoutKlingBatchHome()
                    .env("SEGMIND_API_KEY", KEY).env("SEGMIND_BASE_URL", api.baseUrl().toString()).start("run", "campaign.csv")) {
                assertThat(child.waitFor(START)).as(child::describe).isZero();
            }
            assertThat(home.resolve(".kling-batch/kling-batch.mv.db")).exists();
            assertThat(home.resolve(".kling-batch/kling-batch.log")).exists();
            assertThat(work.resolve(".kling-batch")).doesNotExist();

            // an earlier version's job repository in a working directory: its ledger is imported, nothing is paid again
            Path older = temp.resolve("older");
            Files.createDirectories(older.resolve(".kling-batch"));
            Files.copy(work.resolve("campaign.csv"), older.resolve("campaign.csv"));
            writeFirstLedger(older, api);
            api.setCredits(new BigDecimal("100"));
            int before = api.paid();
            try (ChildJvm child = ChildJvm.builder(older, temp.resolve("other-home"), temp.resolve("other-kling-home"))
                    .env("SEGMIND_API_KEY", KEY).env("SEGMIND_BASE_URL", api.baseUrl().toString()).start("run", "campaign.csv")) {
                assertThat(child.waitFor(START)).as(child::describe).isZero();
                assertThat(child.stdout()).contains("Imported 2 video(s) from the earlier job repository in " + older.resolve(".kling-batch"));
            }
            assertThat(api.paid()).isEqualTo(before);
            assertThat(older.resolve(".kling-batch.imported")).isDirectory();
        }
    }

    /** The first ledger's table as version 0.1 left it, holding this campaign's two videos as paid into {@code folder/out/campaign}. */
    private void writeFirstLedger(Path folder, SegmindSimulator api) throws Exception {
        Path output = folder.resolve("out/campaign");
        Files.createDirectories(output);
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + folder.resolve(".kling-batch/kling-batch"), "sa", "")) {
            connection.createStatement().execute("""
                    CREATE TABLE kb_ledger (campaign VARCHAR(1000) NOT NULL, video_id VARCHAR(200) NOT NULL, request_hash VARCHAR(64) NOT NULL,
                    simulated BOOLEAN NOT NULL, state VARCHAR(16) NOT NULL, attempts INTEGER NOT NULL, file_name VARCHAR(300), bytes BIGINT,
                    sha256 VARCHAR(64), cost DECIMAL(19, 6), remaining_credits DECIMAL(19, 6), request_id VARCHAR(200), error VARCHAR(2000),
                    created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, status_url VARCHAR(2000), response_url VARCHAR(2000),
                    submitted_at TIMESTAMP, duration VARCHAR(8), PRIMARY KEY (campaign, video_id, request_hash, simulated))""");
            try (Connection current = DriverManager.getConnection("jdbc:h2:file:" + temp.resolve("home/.kling-batch/kling-batch"), "sa", "");
                 ResultSet rs = current.createStatement().executeQuery("SELECT row_id, request_hash, file_name, bytes, sha256 FROM kb_video")) {
                while (rs.next()) {
                    Files.copy(work.resolve("out/campaign").resolve(rs.getString("file_name")), output.resolve(rs.getString("file_name")));
                    var insert = connection.prepareStatement("INSERT INTO kb_ledger VALUES (?, ?, ?, FALSE, 'PAID', 1, ?, ?, ?, 0.88, 10, 'r', NULL,"
                            + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL, NULL, NULL, '10')");
                    insert.setString(1, output.toString());
                    insert.setString(2, rs.getString("row_id"));
                    insert.setString(3, rs.getString("request_hash"));
                    insert.setString(4, rs.getString("file_name"));
                    insert.setLong(5, rs.getLong("bytes"));
                    insert.setString(6, rs.getString("sha256"));
                    insert.executeUpdate();
                }
            }
        }
        Files.deleteIfExists(temp.resolve("older/out/campaign/.kling-batch-paid.csv"));
    }

    private SegmindSimulator api() {
        return SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("100")).start();
    }

    ChildJvm.Builder child(SegmindSimulator api) {
        return ChildJvm.builder(work, temp.resolve("home"), temp.resolve("kling-home"))
                .env("SEGMIND_API_KEY", KEY)
                .env("SEGMIND_BASE_URL", api.baseUrl().toString())
                .systemProperty("kling.lease.ttl", "3s")
                .systemProperty("kling.lease.renew-every", "1s")
                .systemProperty("segmind.base-delay", "10ms")
                .systemProperty("segmind.poll-interval", "50ms")
                .systemProperty("segmind.max-poll-interval", "200ms");
    }

    private void writeCampaign(int rows) throws Exception {
        Files.writeString(work.resolve("campaign.csv"), "id,prompt,duration\n"
                + IntStream.rangeClosed(1, rows).mapToObj(i -> "r" + i + ",prompt number " + i + " of the stop test,5").collect(Collectors.joining("\n"))
                + "\n");
    }

    private static void assertEachPromptPaidOnce(SegmindSimulator api, int rows) {
        for (int i = 1; i <= rows; i++) {
            assertThat(api.paidFor("prompt number " + i + " of")).as("prompt " + i).isEqualTo(1);
        }
    }

    private List<Path> videos() throws Exception {
        Path output = work.resolve("out/campaign");
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(file -> file.toString().endsWith(".mp4")).toList();
        }
    }

    private List<String> rowIdsPaid(SegmindSimulator api) {
        List<String> ids = new ArrayList<>();
        for (String prompt : api.billedPrompts()) {
            ids.add("r" + prompt.replaceAll("\\D+", " ").strip().split(" ")[0]);
        }
        return ids;
    }

    /** The ledger the child left, row id to state (read after the child ended). */
    Map<String, String> ledger() throws Exception {
        Map<String, String> states = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + temp.resolve("kling-home/kling-batch") + ";AUTO_SERVER=TRUE", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT row_id, state FROM kb_video")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
        }
        return states;
    }

    private String lastExecutionStatus() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + temp.resolve("kling-home/kling-batch") + ";AUTO_SERVER=TRUE", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT status FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID DESC")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
