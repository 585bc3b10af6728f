package io.klingbatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.FactsApplication;
import io.klingbatch.job.CampaignHistory;
import org.springframework.batch.core.job.JobExecution;
import io.klingbatch.KlingBatchApplication;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.ledger.CampaignHeldException;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.segmind.SegmindSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A team on one PostgreSQL job repository: two machines (two application contexts, or processes with their own working
 * directories and output folders) running one campaign, and the database going away under a run.
 */
class TeamDatabaseTest {

    static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void twoMachinesStartingTheSameCampaignTogetherPayEachRowOnceAndOneIsRefused() throws Exception {
        Path csv = temp.resolve("campaign.csv");
        Files.writeString(csv, "id,prompt,duration\n" + IntStream.rangeClosed(1, 12)
                .mapToObj(i -> "t" + i + ",team prompt " + i + " for two machines,5").collect(Collectors.joining("\n")) + "\n");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             SegmindSimulator api = SegmindSimulator.builder().apiKey(KlingTestConfiguration.TEST_KEY).credits(new BigDecimal("100"))
                     .latency(Duration.ofMillis(150)).start();
             ConfigurableApplicationContext first = machine(postgres, api, "first");
             ConfigurableApplicationContext second = machine(postgres, api, "second")) {
            Campaign onFirst = new CampaignLoader(temp.resolve("first")).load(csv, temp.resolve("first/out"));
            Campaign onSecond = new CampaignLoader(temp.resolve("second")).load(csv, temp.resolve("second/out"));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService machines = Executors.newFixedThreadPool(2);
            try {
                Future<Object> a = machines.submit(() -> run(first, onFirst, go));
                Future<Object> b = machines.submit(() -> run(second, onSecond, go));
                go.countDown();
                List<Object> outcomes = List.of(a.get(), b.get());

                assertThat(outcomes).filteredOn(CampaignHeldException.class::isInstance).hasSize(1)
                        .first().asString().contains("another run holds this campaign");
                assertThat(outcomes).filteredOn(RunResult.class::isInstance).singleElement()
                        .satisfies(result -> assertThat(((RunResult) result).summary().allGenerated()).isTrue());
            } finally {
                machines.shutdownNow();
            }
            for (int i = 1; i <= 12; i++) {
                assertThat(api.paidFor("team prompt " + i + " for")).as("prompt " + i).isEqualTo(1);
            }

            // whichever was refused runs again: it pays for nothing and copies every video into its own folder
            RunResult late = first.getBean(CampaignLauncher.class).run(new CampaignRun(onFirst, false, false, 2, 0));
            RunResult other = second.getBean(CampaignLauncher.class).run(new CampaignRun(onSecond, false, false, 2, 0));
            assertThat(api.paid()).isEqualTo(12);
            assertThat(late.summary().allGenerated()).isTrue();
            assertThat(other.summary().allGenerated()).isTrue();
            try (Stream<Path> files = Files.list(temp.resolve("first/out"))) {
                assertThat(files.filter(file -> file.toString().endsWith(".mp4"))).hasSize(12);
            }
            CampaignSummary seenFromFirst = summary(first, onFirst, api);
            CampaignSummary seenFromSecond = summary(second, onSecond, api);
            assertThat(seenFromFirst.counts()).isEqualTo(seenFromSecond.counts());
            assertThat(seenFromFirst.count(VideoStatus.GENERATED)).isEqualTo(12);
            assertThat(seenFromFirst.spent()).isEqualByComparingTo(seenFromSecond.spent());
            // a third machine asks as `status` does, in the small application: the same schema, the same facts
            try (ConfigurableApplicationContext reader = machine(postgres, api, "reader", FactsApplication.class)) {
                assertThat(FactsApplication.current(reader)).isTrue();
                CampaignSummary seenByStatus = summary(reader, onFirst, api);
                assertThat(seenByStatus.counts()).isEqualTo(seenFromFirst.counts());
                assertThat(seenByStatus.spent()).isEqualByComparingTo(seenFromFirst.spent());
                assertThat(reader.getBean(CampaignHistory.class).lastExecution(onFirst).map(JobExecution::getId))
                        .isEqualTo(first.getBean(CampaignHistory.class).lastExecution(onFirst).map(JobExecution::getId)).isPresent();
            }
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM kling_batch.BATCH_JOB_EXECUTION WHERE STATUS IN ('STARTED', 'UNKNOWN')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no execution left running or unknown").isZero();
            }
        }
    }

    @Test
    void theDatabaseGoingAwayEndsTheRunWithinAMinuteAndWhatWasPaidMeanwhileIsNotPaidAgain() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("campaign.csv"), "id,prompt,duration\n" + IntStream.rangeClosed(1, 6)
                .mapToObj(i -> "d" + i + ",database prompt " + i + " of the test,5").collect(Collectors.joining("\n")) + "\n");
        Path data = temp.resolve("pgdata");
        int port = freePort();
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey("db-test-key").credits(new BigDecimal("100")).start()) {
            EmbeddedPostgres postgres = postgres(data, port);
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try {
                api.hold();
                try (ChildJvm child = child(work, api, url).start("run", "campaign.csv", "--concurrency", "2")) {
                    stopTheDatabaseUnder(child, postgres, api, url);
                }
                assertThat(api.paid()).as("no new call started once the database was gone").isEqualTo(2);
                Path output = work.resolve("out/campaign");
                try (Stream<Path> files = Files.list(output)) {
                    assertThat(files.filter(file -> file.toString().endsWith(".mp4"))).as("paid meanwhile, saved complete").hasSize(2);
                }
                assertThat(Files.readAllLines(output.resolve(".kling-batch-paid.csv"))).hasSize(2);
            } finally {
                postgres.close();
            }

            EmbeddedPostgres restarted = postgres(data, port);
            try {
                try (ChildJvm again = child(work, api, url).start("run", "campaign.csv", "--concurrency", "2")) {
                    assertThat(again.waitFor(START)).as(again::describe).isZero();
                }
                assertThat(api.paid()).isEqualTo(6);
                for (int i = 1; i <= 6; i++) {
                    assertThat(api.paidFor("database prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
                }
                try (Connection connection = restarted.getPostgresDatabase().getConnection();
                     ResultSet rs = connection.createStatement().executeQuery("SELECT state, COUNT(*) FROM kling_batch.kb_video GROUP BY state")) {
                    Map<String, Integer> states = new java.util.HashMap<>();
                    while (rs.next()) {
                        states.put(rs.getString(1), rs.getInt(2));
                    }
                    assertThat(states).isEqualTo(Map.of("PAID", 6));
                }
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void theDatabaseGoingAwayEndsTheSchedulerWithExit3AndWhatWasPaidIsKeptAndNotPaidAgain() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work.resolve("jobs"));
        Files.writeString(work.resolve("jobs/nightly.csv"), "id,prompt,duration\n" + IntStream.rangeClosed(1, 6)
                .mapToObj(i -> "s" + i + ",scheduled database prompt " + i + " of the test,5").collect(Collectors.joining("\n")) + "\n");
        Files.writeString(work.resolve("jobs/nightly.yml"), "input: nightly.csv\nschedule: \"*/1 * * * * *\"\nconcurrency: 2\n");
        Path data = temp.resolve("pgdata");
        int port = freePort();
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey("db-test-key").credits(new BigDecimal("100")).start()) {
            EmbeddedPostgres postgres = postgres(data, port);
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try {
                api.hold();
                try (ChildJvm child = child(work, api, url).start("schedule", "jobs/nightly.yml")) {
                    // exit 3: systemd's Restart=on-failure starts the scheduler again, whose next tick continues the run
                    stopTheDatabaseUnder(child, postgres, api, url);
                }
                assertThat(api.paid()).as("no new call started once the database was gone").isEqualTo(2);
                try (Stream<Path> files = Files.list(work.resolve("out/nightly"))) {
                    assertThat(files.filter(file -> file.toString().endsWith(".mp4"))).as("paid meanwhile, saved complete").hasSize(2);
                }
            } finally {
                postgres.close();
            }

            EmbeddedPostgres restarted = postgres(data, port);
            try (ChildJvm again = child(work, api, url).start("schedule", "jobs/nightly.yml")) {
                assertThat(again.awaitOutput("campaign nightly: run ended: completed (exit 0); 6 of 6 rows generated", START))
                        .as(again::describe).isTrue();
                again.signal("TERM");
                assertThat(again.waitFor(START)).as(again::describe).isZero();
            } finally {
                restarted.close();
            }
            for (int i = 1; i <= 6; i++) {
                assertThat(api.paidFor("scheduled database prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnreachableDatabaseAtStartIsExit3NamingIt() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("campaign.csv"), "id,prompt\na,a quiet harbour\n");
        String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/kling";
        try (SegmindSimulator api = SegmindSimulator.builder().apiKey("db-test-key").start();
             ChildJvm child = child(work, api, url).start("run", "campaign.csv")) {
            assertThat(child.waitFor(START)).as(child::describe).isEqualTo(3);
            assertThat(child.stderr()).contains("Not started: the job repository (" + url + ") cannot be reached", "Nothing was sent");
            assertThat(api.paid()).isZero();
        }
    }

    /**
     * With two calls of the child held by the API, the team's database goes away (a restart, the network); the calls
     * then finish. The child must end with exit 3 naming the database, within 30 s: about 5 to 10 s here, where Spring
     * Batch's own retries took about 50 s.
     */
    private static void stopTheDatabaseUnder(ChildJvm child, EmbeddedPostgres postgres, SegmindSimulator api, String url) throws Exception {
        assertThat(api.awaitInFlight(2, START)).as(child::describe).isTrue();
        postgres.close();
        long stopped = System.nanoTime();
        api.release();
        assertThat(child.waitFor(Duration.ofSeconds(120))).as(child::describe).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(30));
        assertThat(child.stderr()).contains("the job repository (" + url.replaceAll("(?i)(password=)[^&;]*", "$1***") + ") cannot be reached");
    }

    private ChildJvm.Builder child(Path work, SegmindSimulator api, String url) {
        return ChildJvm.builder(work, temp.resolve("home"), temp.resolve("kling-home"))
                .env("SEGMIND_API_KEY", api.apiKey())
                .env("SEGMIND_BASE_URL", api.baseUrl().toString())
                .env("SPRING_DATASOURCE_URL", url)
                .env("SPRING_DATASOURCE_USERNAME", "postgres")
                .env("SPRING_DATASOURCE_PASSWORD", "")
                .systemProperty("kling.lease.ttl", "3s")
                .systemProperty("kling.lease.renew-every", "1s");
    }

    private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static Object run(ConfigurableApplicationContext machine, Campaign campaign, CountDownLatch go) throws Exception {
        go.await();
        try {
            return machine.getBean(CampaignLauncher.class).run(new CampaignRun(campaign, false, false, 3, 0));
        } catch (CampaignHeldException e) {
            return e;
        }
    }

    private static CampaignSummary summary(ConfigurableApplicationContext machine, Campaign campaign, SegmindSimulator api) {
        String endpoint = io.klingbatch.ledger.Endpoint.of(api.baseUrl()).id();
        return machine.getBean(CampaignReporter.class).summarize(campaign, endpoint, null);
    }

    /** One "machine": its own application context (its own lease client id, pool, sessions) on the shared database. */
    private ConfigurableApplicationContext machine(EmbeddedPostgres postgres, SegmindSimulator api, String name) {
        return machine(postgres, api, name, KlingBatchApplication.class);
    }

    private ConfigurableApplicationContext machine(EmbeddedPostgres postgres, SegmindSimulator api, String name, Class<?> application) {
        List<String> properties = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--segmind.base-url=" + api.baseUrl(),
                "--segmind.base-delay=10ms",
                "--logging.file.name=target/team-" + name + ".log",
                "--logging.threshold.console=OFF",
                "--kling.home=" + temp.resolve(name + "-home")));
        return new SpringApplicationBuilder(application, KlingTestConfiguration.class)
                .web(WebApplicationType.NONE)
                .run(properties.toArray(String[]::new));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
