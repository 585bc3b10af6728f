package io.klingbatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.segmind.SegmindSimulator;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schedule} as {@code systemctl stop} and {@code docker stop} see it: the real application in a child JVM, a real
 * SIGTERM while a scheduled run has calls in flight, and a fake API in this JVM that counts what it was paid for.
 */
class ScheduleProcessTest {

    static final Duration START = Duration.ofSeconds(90);
    static final String KEY = "schedule-process-key";

    @TempDir
    Path temp;

    @Test
    void sigtermStopsTheRunInProgressAsRunDoesAndTheSchedulerExitsZeroThenTheNextOneContinues() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work.resolve("jobs"));
        Files.writeString(work.resolve("jobs/nightly.csv"), "id,prompt,duration\n" + IntStream.rangeClosed(1, 6)
                .mapToObj(i -> "n" + i + ",nightly prompt " + i + " of the process test,5").collect(Collectors.joining("\n")) + "\n");
        Files.writeString(work.resolve("jobs/nightly.yml"), "input: nightly.csv\nschedule: \"*/1 * * * * *\"\nconcurrency: 2\n");
        int port = freePort();
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("100")).start()) {
            api.hold();
            try (ChildJvm child = child(work, api).start("schedule", "jobs/nightly.yml", "--port", String.valueOf(port))) {
                assertThat(api.awaitInFlight(2, START)).as(child::describe).isTrue();
                HttpResponse<String> health = get(port, "/actuator/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).startsWith("{").contains("\"status\":\"UP\"");
                assertThat(get(port, "/actuator/prometheus").body()).contains("kling_calls_in_flight 2.0");

                child.signal("TERM");
                assertThat(child.awaitOutput("Stopping: no new call starts", START)).as(child::describe).isTrue();
                api.release();

                assertThat(child.waitFor(START)).as(child::describe).isZero();
                assertThat(child.stdout()).contains("Scheduling 1 campaign: nightly", "campaign nightly: run started from",
                        "campaign nightly: run ended: stopped (exit 3): interrupted (SIGTERM); 2 of 6 rows generated, 4 pending",
                        "Stopped scheduling; 1 run stopped (STOPPED, manifest written)");
            }
            assertThat(api.paid()).as("the calls in flight finished; no other started").isEqualTo(2);
            assertThat(videos(work)).hasSize(2);
            assertThat(work.resolve("out/nightly/manifest.csv")).exists();
            assertThat(lastExecutionStatus()).isEqualTo("STOPPED");
            String log = Files.readString(temp.resolve("kling-home/kling-batch.log"));
            assertThat(log).contains("io.klingbatch.schedule                   : campaign nightly: run started from",
                    "io.klingbatch.schedule                   : campaign nightly: run ended: stopped (exit 3)");

            try (ChildJvm again = child(work, api).start("schedule", "jobs/nightly.yml")) {
                assertThat(again.awaitOutput("campaign nightly: run ended: completed (exit 0); 6 of 6 rows generated", START))
                        .as(again::describe).isTrue();
                again.signal("TERM");
                assertThat(again.waitFor(START)).as(again::describe).isZero();
            }
            assertThat(api.paid()).isEqualTo(6);
            for (int i = 1; i <= 6; i++) {
                assertThat(api.paidFor("nightly prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
            }
            assertThat(videos(work)).hasSize(6);
        }
    }

    private ChildJvm.Builder child(Path work, SegmindSimulator api) {
        return ChildJvm.builder(work, temp.resolve("home"), temp.resolve("kling-home"))
                .env("SEGMIND_API_KEY", KEY)
                .env("SEGMIND_BASE_URL", api.baseUrl().toString())
                .systemProperty("kling.lease.ttl", "3s")
                .systemProperty("kling.lease.renew-every", "1s")
                .systemProperty("segmind.base-delay", "10ms");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static java.util.List<Path> videos(Path work) throws Exception {
        try (Stream<Path> files = Files.list(work.resolve("out/nightly"))) {
            return files.filter(file -> file.toString().endsWith(".mp4")).toList();
        }
    }

    private String lastExecutionStatus() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + temp.resolve("kling-home/kling-batch") + ";AUTO_SERVER=TRUE", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT status FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID DESC")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
