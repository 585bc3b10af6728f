package io.klingbatch.schedule;

import static io.klingbatch.schedule.Machines.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.schedule.ScheduledRuns.Tick;
import io.klingbatch.schedule.ScheduledRuns.TickResult;
import io.klingbatch.segmind.SegmindSimulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code schedule} in one process: ticks from short crons (seconds), a tick's decisions called directly where waiting for
 * a cron would only slow the test, against a simulated API that bills and counts every prompt.
 */
class ScheduleTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    static SegmindSimulator api;
    static ConfigurableApplicationContext machine;

    @BeforeAll
    static void start() {
        api = Machines.shared().api();
        machine = Machines.shared().context();
    }

    TickResult tick(Path jobFile, List<String> lines) {
        return machine.getBean(ScheduledRuns.class).tick(jobFile, work, false, lines::add);
    }

    @Test
    void aShortCronRunsTheCampaignACompletedOnePaysNothingAndRowsAppendedArePaidOnTheNextTick() throws Exception {
        Path csv = Machines.csv(work.resolve("jobs/cron.csv"), "cron", 1, 3);
        Path job = Machines.job(work.resolve("jobs/cron.yml"), "cron.csv", "*/1 * * * * *");
        List<String> lines = Machines.lines();
        try (CampaignScheduler scheduler = Machines.scheduler(machine, work, lines, job)) {
            assertThat(scheduler.start()).singleElement().asString().contains("cron", "\"*/1 * * * * *\"", "next ");
            await().atMost(WAIT).until(() -> count(lines, "campaign cron: run ended: completed (exit 0)") == 1);
            assertThat(lines).anyMatch(line -> line.startsWith("campaign cron: run started from " + job + ": 3 rows (0 rejected), 3 videos to pay for"));
            assertThat(lines).anyMatch(line -> line.contains("3 of 3 rows generated; 1.32 credits spent by this run, 1.32 in all"));

            await().atMost(WAIT).until(() -> count(lines, "campaign cron: nothing to pay for: completed (exit 0)") >= 2);
            assertThat(api.paidFor("cron")).as("a completed campaign pays nothing on its ticks").isEqualTo(3);

            Machines.csv(csv, "cron", 4, 5);
            await().atMost(WAIT).until(() -> count(lines, "5 of 5 rows generated") >= 1);
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(api.paidFor("cron prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
        }
        assertThat(work.resolve("out/cron/cron5.mp4")).exists();
    }

    @Test
    void stoppedForCreditsItWaitsForTheBalanceAndResumesByItselfOnceItCoversAVideo() throws Exception {
        Machines.csv(work.resolve("jobs/credits.csv"), "credit", 1, 5);
        Path job = Machines.job(work.resolve("jobs/credits.yml"), "credits.csv", "0 0 3 * * *", "concurrency: 1");
        api.setCredits(new BigDecimal("1.00")); // two videos at 0.44, then 406
        try {
            creditsWait(job);
        } finally {
            api.setCredits(new BigDecimal("100"));
        }
    }

    private void creditsWait(Path job) {
        List<String> lines = Machines.lines();

        TickResult first = tick(job, lines);
        assertThat(first.tick()).isEqualTo(Tick.RAN);
        assertThat(first.report().outcome().status()).isEqualTo(RunOutcome.Status.STOPPED);
        assertThat(first.report().outcome().reason().kind()).isEqualTo(io.klingbatch.generation.StopReason.Kind.CREDITS);
        assertThat(api.paidFor("credit")).isEqualTo(2);

        TickResult waiting = tick(job, lines);
        assertThat(waiting.tick()).isEqualTo(Tick.WAITING_FOR_CREDITS);
        assertThat(lines).last().asString().contains("campaign credits: waiting for credits: balance 0.12 covers none of the 3 videos left");
        assertThat(api.paidFor("credit")).as("nothing sent while the balance covers no video").isEqualTo(2);

        api.topUp(new BigDecimal("0.40")); // 0.52: one video
        TickResult resumed = tick(job, lines);
        assertThat(resumed.tick()).isEqualTo(Tick.RAN);
        assertThat(api.paidFor("credit")).isEqualTo(3);

        api.topUp(new BigDecimal("10"));
        TickResult done = tick(job, lines);
        assertThat(done.report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
        for (int i = 1; i <= 5; i++) {
            assertThat(api.paidFor("credit prompt " + i + " of")).as("prompt " + i).isEqualTo(1);
        }
    }

    @Test
    void stoppedForItsBudgetItWaitsForTheJobFilesBudgetToChange() throws Exception {
        Machines.csv(work.resolve("jobs/budget.csv"), "budget", 1, 4);
        Path job = Machines.job(work.resolve("jobs/budget.yml"), "budget.csv", "0 0 3 * * *", "concurrency: 1", "max-credits: 1");
        List<String> lines = Machines.lines();

        TickResult first = tick(job, lines);
        assertThat(first.report().outcome().reason().kind()).isEqualTo(io.klingbatch.generation.StopReason.Kind.BUDGET);
        int paid = api.paidFor("budget");
        assertThat(paid).isEqualTo(2);

        assertThat(tick(job, lines).tick()).isEqualTo(Tick.WAITING_FOR_BUDGET);
        assertThat(lines).last().asString().contains("campaign budget: waiting for a new budget: the last run stopped at max-credits 1; raise it in budget.yml");
        assertThat(api.paidFor("budget")).isEqualTo(paid);

        Machines.job(job, "budget.csv", "0 0 3 * * *", "concurrency: 1", "max-credits: 5");
        TickResult raised = tick(job, lines);
        assertThat(raised.tick()).isEqualTo(Tick.RAN);
        assertThat(raised.report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(api.paidFor("budget")).isEqualTo(4);
    }

    @Test
    void aJobFileThatBecameInvalidLogsOneErrorPerTickAndTheOthersGoOn() throws Exception {
        Machines.csv(work.resolve("jobs/good.csv"), "good", 1, 2);
        Machines.csv(work.resolve("jobs/bad.csv"), "bad", 1, 2);
        Path good = Machines.job(work.resolve("jobs/good.yml"), "good.csv", "*/1 * * * * *");
        Path bad = Machines.job(work.resolve("jobs/bad.yml"), "bad.csv", "*/1 * * * * *");
        List<String> lines = Machines.lines();
        try (CampaignScheduler scheduler = Machines.scheduler(machine, work, lines, good, bad)) {
            scheduler.start();
            await().atMost(WAIT).until(() -> count(lines, "campaign bad: run ended: completed") == 1 && count(lines, "campaign good: run ended: completed") == 1);

            Files.writeString(bad, "input: bad.csv\nschedule: \"*/1 * * * * *\"\nconcurency: 2\n"); // a typo
            long goodBefore = count(lines, "campaign good: nothing to pay for");
            await().atMost(WAIT).until(() -> count(lines, "campaign bad: tick skipped:") >= 3);
            long errors = count(lines, "campaign bad: tick skipped:");
            assertThat(lines).filteredOn(line -> line.contains("campaign bad: tick skipped:"))
                    .allSatisfy(line -> assertThat(line).contains("bad.yml: unknown setting 'concurency'"));
            assertThat(count(lines, "campaign good: nothing to pay for")).as("the other campaign goes on").isGreaterThan(goodBefore);
            assertThat(errors).as("one error per tick, not more").isLessThanOrEqualTo(count(lines, "campaign good: nothing to pay for") - goodBefore + 2);

            Files.delete(work.resolve("jobs/bad.csv"));
            Files.writeString(bad, "input: bad.csv\nschedule: \"*/1 * * * * *\"\n");
            await().atMost(WAIT).until(() -> count(lines, "bad.csv: no such file") >= 1);
        }
    }

    @Test
    void anEditedScheduleTakesEffectWithoutARestart() throws Exception {
        Machines.csv(work.resolve("jobs/edited.csv"), "edited", 1, 2);
        Path job = Machines.job(work.resolve("jobs/edited.yml"), "edited.csv", "0 0 0 1 1 *"); // once a year
        List<String> lines = Machines.lines();
        try (CampaignScheduler scheduler = Machines.scheduler(machine, work, lines, job)) {
            scheduler.start();
            Thread.sleep(1_100); // the edit is a second younger than the start: its modification time differs
            Machines.job(job, "edited.csv", "*/1 * * * * *");
            await().atMost(WAIT).until(() -> count(lines, "campaign edited: run ended: completed") == 1);
            assertThat(lines).anyMatch(line -> line.contains("campaign edited: schedule changed to \"*/1 * * * * *\""));
        }
        assertThat(api.paidFor("edited")).isEqualTo(2);
    }

    @Test
    void campaignsWhoseTicksFallAtTheSameInstantInOneProcessEachTakeTheirLease() throws Exception {
        io.klingbatch.ledger.Leases leases = machine.getBean(io.klingbatch.ledger.Leases.class);
        java.util.concurrent.ExecutorService ticks = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<io.klingbatch.ledger.Lease>> taken = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String key = "same-instant-" + i + "-" + System.nanoTime();
                taken.add(ticks.submit(() -> {
                    go.await();
                    return leases.hold(key, "campaign " + key, notice -> { });
                }));
            }
            go.countDown();
            for (var lease : taken) {
                lease.get().close(); // a failure to register its holder would throw here, and keep the lease for ever
            }
        } finally {
            ticks.shutdownNow();
        }
    }

    @Test
    void aJobFileWithoutAScheduleIsAnErrorNamingIt() throws Exception {
        Machines.csv(work.resolve("jobs/plain.csv"), "plain", 1, 1);
        Path job = Machines.job(work.resolve("jobs/plain.yml"), "plain.csv", null);
        try (CampaignScheduler scheduler = Machines.scheduler(machine, work, Machines.lines(), job)) {
            assertThatThrownBy(scheduler::start).isInstanceOf(CampaignFileException.class)
                    .hasMessageContaining("plain.yml").hasMessageContaining("has no 'schedule:'");
        }
        assertThat(api.paidFor("plain")).isZero();
    }
}
