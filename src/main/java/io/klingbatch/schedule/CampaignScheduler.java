package io.klingbatch.schedule;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.RunSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;

/**
 * {@code schedule}: each job file's {@code schedule:} starts a run of its campaign, with Spring's own scheduling (a
 * {@link ThreadPoolTaskScheduler}, a {@link CronTrigger} per job file, in this machine's time zone). Each tick reads its
 * job file again ({@link ScheduledRuns}); an edited {@code schedule:} is picked up within {@code reread} (the job files'
 * modification times are looked at), without a restart. A campaign's ticks never overlap in this process (a tick that
 * falls while its run goes is not fired), and across processes and machines the campaign's lease in the database keeps
 * one run at a time.
 *
 * <p>{@link #stopScheduling()} (the first SIGTERM or Ctrl-C): no tick starts any more; the runs in progress are stopped by
 * the caller, as {@code run} stops, and {@link #awaitRuns} waits for them.
 */
public final class CampaignScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);

    private final ScheduledRuns runs;
    private final RunSessions sessions;
    private final List<Path> jobFiles;
    private final Path workingDirectory;
    private final boolean simulate;
    private final Consumer<String> say;
    private final Clock clock;
    private final Duration reread;
    private final ZoneId zone;
    private final List<Entry> entries = new ArrayList<>();
    private final Object activity = new Object();
    private int active;
    private volatile boolean stopping;
    private ThreadPoolTaskScheduler scheduler;
    private ScheduledFuture<?> watch;

    /** One job file: its current cron, its next tick, whether a run of it goes now. */
    private static final class Entry {
        final Path jobFile;
        final String name;
        final AtomicBoolean running = new AtomicBoolean();
        volatile String cron;
        volatile FileTime modified;
        ScheduledFuture<?> future;

        Entry(Path jobFile, String cron, FileTime modified) {
            this.jobFile = jobFile;
            this.name = ScheduledRuns.nameOf(jobFile);
            this.cron = cron;
            this.modified = modified;
        }
    }

    /**
     * @param jobFiles         absolute, or relative to {@code workingDirectory}
     * @param say              the console: each run's start and end lines (they are in the log file too)
     * @param clock            the scheduler's clock (the system's; a test may give another)
     * @param reread           how often the job files' modification times are looked at, for an edited schedule
     */
    public CampaignScheduler(ScheduledRuns runs, RunSessions sessions, List<Path> jobFiles,
                             Path workingDirectory, boolean simulate, Consumer<String> say, Clock clock, Duration reread) {
        this.runs = runs;
        this.sessions = sessions;
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.jobFiles = jobFiles.stream().map(file -> this.workingDirectory.resolve(file).normalize()).toList();
        this.simulate = simulate;
        this.say = say;
        this.clock = clock;
        this.reread = reread;
        this.zone = clock.getZone();
    }

    /**
     * Reads every job file (each must be valid and have a {@code schedule:}, else {@link CampaignFileException} naming it)
     * and starts scheduling them.
     *
     * @return one line per campaign: its schedule and next tick
     */
    public synchronized List<String> start() {
        List<Entry> loaded = new ArrayList<>();
        for (Path jobFile : jobFiles) {
            Campaign campaign = new CampaignLoader(workingDirectory).load(jobFile, null);
            if (campaign.schedule() == null) {
                throw new CampaignFileException(jobFile, "has no 'schedule:' (a cron expression with seconds, such as \"0 0 2 * * *\" "
                        + "for 2 am daily, or \"@daily\"), so 'schedule' cannot run it");
            }
            loaded.add(new Entry(jobFile, campaign.schedule(), modified(jobFile)));
        }
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(loaded.size() + 1);
        scheduler.setThreadNamePrefix("kling-schedule-");
        scheduler.setDaemon(true);
        scheduler.setClock(clock);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setWaitForTasksToCompleteOnShutdown(true); // never interrupt a run's thread: runs are stopped through their sessions
        scheduler.setErrorHandler(t -> log.error("scheduled task failed", t));
        scheduler.initialize();
        List<String> lines = new ArrayList<>();
        for (Entry entry : loaded) {
            entries.add(entry);
            schedule(entry);
            lines.add(entry.name + " (" + entry.jobFile + "): \"" + entry.cron + "\", next " + next(entry.cron));
        }
        watch = scheduler.scheduleWithFixedDelay(this::lookForEdits, clock.instant().plus(reread), reread);
        return lines;
    }

    private void schedule(Entry entry) {
        synchronized (entry) {
            entry.future = scheduler.schedule(() -> fire(entry), new CronTrigger(entry.cron, zone));
            if (entry.future == null) {
                ScheduledRuns.log.warn("campaign {}: schedule \"{}\" never fires", entry.name, entry.cron);
            }
        }
    }

    /** A new cron for a job file: its pending tick is replaced (a run in progress goes on). */
    private void reschedule(Entry entry, String cron) {
        synchronized (entry) {
            if (stopping || cron.equals(entry.cron)) {
                return;
            }
            if (entry.future != null) {
                entry.future.cancel(false);
            }
            entry.cron = cron;
            schedule(entry);
        }
        String line = "campaign " + entry.name + ": schedule changed to \"" + cron + "\", next " + next(cron);
        ScheduledRuns.log.info(line);
        say.accept(line);
    }

    private void fire(Entry entry) {
        if (!entry.running.compareAndSet(false, true)) {
            String line = "campaign " + entry.name + ": tick skipped: its run in this process is still going";
            ScheduledRuns.log.info(line);
            say.accept(line);
            return;
        }
        synchronized (activity) {
            if (stopping) { // checked with the count, so awaitRuns never misses a tick that got past it
                entry.running.set(false);
                return;
            }
            active++;
        }
        try {
            entry.modified = modified(entry.jobFile);
            ScheduledRuns.TickResult result = runs.tick(entry.jobFile, workingDirectory, simulate, say);
            if (result.campaign() != null && result.campaign().schedule() != null) {
                reschedule(entry, result.campaign().schedule());
            }
        } catch (RuntimeException e) {
            log.error("campaign {}: tick failed", entry.name, e);
        } finally {
            entry.running.set(false);
            synchronized (activity) {
                active--;
                if (!stopping && active == 0) {
                    sessions.reset(); // a stop of everything (the database, a lost lease) ends with the runs it stopped
                }
                activity.notifyAll();
            }
        }
    }

    /** An edited schedule applies without waiting for the old one's next tick. An invalid job file is left to its tick to report. */
    private void lookForEdits() {
        for (Entry entry : entries) {
            FileTime now = modified(entry.jobFile);
            if (now == null || now.equals(entry.modified)) {
                continue;
            }
            entry.modified = now;
            try {
                Campaign campaign = new CampaignLoader(workingDirectory).load(entry.jobFile, null);
                if (campaign.schedule() != null) {
                    reschedule(entry, campaign.schedule());
                }
            } catch (CampaignFileException e) {
                log.debug("job file {} cannot be read now; its next tick says why", entry.jobFile);
            }
        }
    }

    /** No tick starts from now on; the runs in progress go on until their sessions are stopped. */
    public void stopScheduling() {
        synchronized (activity) {
            stopping = true;
        }
        synchronized (this) {
            for (Entry entry : entries) {
                synchronized (entry) {
                    if (entry.future != null) {
                        entry.future.cancel(false);
                    }
                }
            }
            if (watch != null) {
                watch.cancel(false);
            }
            if (scheduler != null) {
                scheduler.getScheduledExecutor().shutdown();
            }
        }
    }

    /** Runs going now in this process. */
    public int running() {
        synchronized (activity) {
            return active;
        }
    }

    /** Waits for the runs in progress to end; false if some still go after {@code timeout}. */
    public boolean awaitRuns(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (activity) {
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(activity, left);
            }
        }
        return true;
    }

    private String next(String cron) {
        ZonedDateTime next = CronExpression.parse(cron).next(ZonedDateTime.ofInstant(clock.instant(), zone));
        return next == null ? "never" : next.toOffsetDateTime().withNano(0).toString();
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Stops scheduling (if not yet), waits a little for a tick in progress, and lets the scheduler's threads end. */
    @Override
    public void close() {
        stopScheduling();
        try {
            if (!awaitRuns(Duration.ofSeconds(30))) {
                log.warn("closing the scheduler with {} run(s) still going", running());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }

    /** When a job file's next tick is, for tests and the first lines. */
    Instant nextTick(Path jobFile) {
        for (Entry entry : entries) {
            if (entry.jobFile.equals(workingDirectory.resolve(jobFile).normalize())) {
                ZonedDateTime next = CronExpression.parse(entry.cron).next(ZonedDateTime.ofInstant(clock.instant(), zone));
                return next == null ? null : next.toInstant();
            }
        }
        return null;
    }
}
