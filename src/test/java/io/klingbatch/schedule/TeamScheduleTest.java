package io.klingbatch.schedule;

import static io.klingbatch.schedule.Machines.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingbatch.schedule.ScheduledRuns.Tick;
import io.klingbatch.segmind.SegmindSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A team on one PostgreSQL job repository: two {@code schedule} processes (two application contexts, each its own lease
 * client, pool and scheduler) with the same job; a database whose {@code public} schema holds other applications' tables;
 * one whose tables an earlier version made in {@code public}.
 */
class TeamScheduleTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void twoSchedulersWithTheSameJobPayEachRowOnceAndTheOneThatFindsTheCampaignHeldSkipsItsTick() throws Exception {
        Path csv = Machines.csv(temp.resolve("shared/jobs/team.csv"), "team", 1, 12);
        Path job = Machines.job(temp.resolve("shared/jobs/team.yml"), "team.csv", "*/2 * * * * *", "concurrency: 2");
        List<String> first = Machines.lines();
        List<String> second = Machines.lines();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             SegmindSimulator api = Machines.api("100", Duration.ofMillis(300));
             ConfigurableApplicationContext a = Machines.machine(postgres.getJdbcUrl("postgres", "postgres"), api, temp, "first");
             ConfigurableApplicationContext b = Machines.machine(postgres.getJdbcUrl("postgres", "postgres"), api, temp, "second");
             CampaignScheduler onA = Machines.scheduler(a, temp.resolve("first"), first, job);
             CampaignScheduler onB = Machines.scheduler(b, temp.resolve("second"), second, job)) {
            onA.start();
            onB.start();
            await().atMost(WAIT).until(() -> count(first, "run ended: completed") + count(second, "run ended: completed") >= 1);
            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(all).as("the tick that found the campaign running elsewhere").anyMatch(line ->
                    line.startsWith("campaign team: tick skipped: another run holds this campaign: "));
            assertThat(all.stream().filter(line -> line.contains("tick skipped")))
                    .allSatisfy(line -> assertThat(line).doesNotContain("error"));

            Machines.csv(csv, "team", 13, 16); // rows appended between ticks
            // A tick that read the CSV before the append holds the old content's campaign, one after it the new one's: the
            // two may overlap once. The ledger still pays each row once; a video made meanwhile on the other machine is
            // copied in by the next tick.
            await().atMost(WAIT).until(() -> count(first, "16 of 16 rows generated") >= 1 && count(second, "16 of 16 rows generated") >= 1
                    && java.nio.file.Files.exists(temp.resolve("first/out/team/team16.mp4"))
                    && java.nio.file.Files.exists(temp.resolve("second/out/team/team16.mp4")));
            for (int i = 1; i <= 16; i++) {
                assertThat(api.paidFor("team prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseWhosePublicSchemaHoldsOtherTablesNamedLikeOursIsSharedWithoutAClash() throws Exception {
        Machines.csv(temp.resolve("jobs/shared.csv"), "shared", 1, 3);
        Path job = Machines.job(temp.resolve("jobs/shared.yml"), "shared.csv", "0 0 4 * * *", "concurrency: 3");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             SegmindSimulator api = Machines.api("100", Duration.ZERO)) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE public.batch_job_instance (id SERIAL PRIMARY KEY, owner TEXT NOT NULL)");
                sql.execute("INSERT INTO public.batch_job_instance (owner) VALUES ('the billing app')");
                sql.execute("CREATE TABLE public.kb_video (isbn TEXT PRIMARY KEY)");
            }
            try (ConfigurableApplicationContext machine = Machines.machine(postgres.getJdbcUrl("postgres", "postgres"), api, temp, "shared")) {
                ConnectionPool pool = machine.getBean(ConnectionPool.class);
                assertThat(pool.size()).as("at most 8 connections a process").isEqualTo(8);
                try (ConnectionPool.Reservation run = pool.reserve(3)) {
                    assertThat(pool.size()).as("a run of 3 workers: 3 + 3").isEqualTo(6);
                    try (ConnectionPool.Reservation big = pool.reserve(16)) {
                        assertThat(pool.size()).isEqualTo(8);
                    }
                }
                assertThat(pool.size()).isEqualTo(8);

                var result = machine.getBean(ScheduledRuns.class).tick(job, temp, false, line -> { });
                assertThat(result.tick()).isEqualTo(Tick.RAN);
                assertThat(result.report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
            }
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
                assertThat(single(sql, "SELECT owner FROM public.batch_job_instance")).isEqualTo("the billing app");
                assertThat(single(sql, "SELECT COUNT(*) FROM public.kb_video")).isEqualTo("0");
                assertThat(single(sql, "SELECT COUNT(*) FROM kling_batch.kb_video WHERE state = 'PAID'")).isEqualTo("3");
                assertThat(single(sql, "SELECT COUNT(*) FROM kling_batch.batch_job_instance")).isEqualTo("1");
                assertThat(single(sql, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'kb_schema_history'"))
                        .isEqualTo("0");
            }
            assertThat(api.paid()).isEqualTo(3);
        }
    }

    @Test
    void tablesAnEarlierVersionMadeInPublicStayThereAndNothingIsPaidAgain() throws Exception {
        Machines.csv(temp.resolve("jobs/legacy.csv"), "legacy", 1, 2);
        Path job = Machines.job(temp.resolve("jobs/legacy.yml"), "legacy.csv", "0 0 4 * * *");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             SegmindSimulator api = Machines.api("100", Duration.ZERO)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try (ConfigurableApplicationContext older = Machines.machine(url, api, temp, "older", "kling.database.schema=public")) {
                assertThat(older.getBean(ScheduledRuns.class).tick(job, temp, false, line -> { }).report().outcome().status())
                        .isEqualTo(RunOutcome.Status.COMPLETED);
            }
            assertThat(api.paid()).isEqualTo(2);
            try (ConfigurableApplicationContext upgraded = Machines.machine(url, api, temp, "upgraded")) {
                var result = upgraded.getBean(ScheduledRuns.class).tick(job, temp, false, line -> { });
                assertThat(result.report().outcome().launched()).as("the completed campaign is found, not started again").isFalse();
            }
            assertThat(api.paid()).as("nothing paid again after the upgrade").isEqualTo(2);
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
                assertThat(single(sql, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'kling_batch'")).isEqualTo("0");
            }
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
