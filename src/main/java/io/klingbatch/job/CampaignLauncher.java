package io.klingbatch.job;

import io.klingbatch.Sha256;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.generation.Remakes;
import io.klingbatch.generation.RunFinisher;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.generation.StopReason;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.Lease;
import io.klingbatch.ledger.Leases;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.OutputFolder;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.report.CampaignReports;
import io.klingbatch.segmind.SegmindProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Runs a campaign with "the same command" semantics, holding the campaign's lease (in the database) for the whole run:
 * <ul>
 * <li>another live run holds the campaign, from any machine: refused at once ({@link io.klingbatch.ledger.CampaignHeldException},
 * exit 5); a holder whose process died is waited for until its lease lapses, then taken over;</li>
 * <li>never run before, or the CSV changed: a new job instance (every video already made is found in the ledger);</li>
 * <li>last execution STOPPED or FAILED: that instance is restarted where it stopped;</li>
 * <li>last execution still marked running: under our lease its process is provably gone, so it is recovered
 * ({@code JobOperator.recover}) and restarted;</li>
 * <li>COMPLETED: nothing is launched (videos made elsewhere are still put in place), unless videos are left that cost
 * nothing to try again (new, FAILED, a remake, or UNCERTAIN with {@code --resend-uncertain}); then a next pass runs.</li>
 * </ul>
 */
@Component
public class CampaignLauncher {

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job campaignJob;
    private final CampaignReporter reporter;
    private final Leases leases;
    private final Remakes remakes;
    private final RunSessions sessions;
    private final ProgressRelay progress;
    private final SegmindProperties segmind;
    private final RunFinisher finisher;
    private final CampaignReports reports;

    CampaignLauncher(JobOperator jobOperator, JobRepository jobRepository, Job campaignJob, CampaignReporter reporter, Leases leases,
                     Remakes remakes, RunSessions sessions, ProgressRelay progress, SegmindProperties segmind, RunFinisher finisher,
                     CampaignReports reports) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.campaignJob = campaignJob;
        this.reporter = reporter;
        this.leases = leases;
        this.remakes = remakes;
        this.sessions = sessions;
        this.progress = progress;
        this.segmind = segmind;
        this.finisher = finisher;
        this.reports = reports;
    }

    /** The API a run pays: the simulator, or the configured base URL. */
    public CampaignRun resolve(CampaignRun run) {
        return run.endpoint() != null ? run : run.withEndpoint(run.simulated() ? Endpoint.SIMULATOR : Endpoint.of(segmind.baseUrl()));
    }

    public RunResult run(CampaignRun requested) throws Exception {
        return run(requested, () -> { });
    }

    /**
     * {@link #run(CampaignRun)}, telling {@code held} once the campaign's lease is taken (the scheduler logs a run's start
     * only then: a run refused because another holds the campaign is one line, not two).
     */
    public RunResult run(CampaignRun requested, Runnable held) throws Exception {
        CampaignRun run = resolve(requested);
        String csvSha256 = sha256(run.campaign().csv());
        OutputFolder.claim(run.campaign()).ifPresent(progress::notice);
        try (Lease lease = leases.hold(leaseKey(csvSha256, run), run.campaign().name(), progress::notice)) {
            lease.onLost(why -> sessions.stopAll(new StopReason(why.startsWith("the job repository")
                    ? StopReason.Kind.DATABASE : StopReason.Kind.LEASE_LOST, why)));
            held.run();
            return runHeld(run, csvSha256);
        }
    }

    /** What the lease is taken on: the campaign's content and the API it pays, not its file name or output folder. */
    static String leaseKey(String csvSha256, CampaignRun run) {
        return "campaign:" + csvSha256 + ":" + run.endpointId();
    }

    /** The lease key of a campaign's CSV on an API, for asking who holds it ({@code status}). */
    public static String leaseKey(Path csv, String endpointId) {
        return "campaign:" + sha256(csv) + ":" + endpointId;
    }

    private RunResult runHeld(CampaignRun run, String csvSha256) throws Exception {
        JobExecution newest = newestExecution(run, csvSha256);
        boolean resumingTheSameRemake = newest != null && newest.getStatus() != BatchStatus.COMPLETED
                && newest.getStatus() != BatchStatus.ABANDONED
                && Objects.equals(newest.getJobParameters().getString(CampaignParameters.REMAKE, ""), String.join(",", run.remake()));
        if (!resumingTheSameRemake) {
            remakes.order(run); // not again when the same command resumes a run (any pass) that ordered them
        }
        for (long pass = 1; ; pass++) {
            JobParameters parameters = CampaignParameters.of(run, csvSha256, pass);
            JobInstance instance = jobRepository.getJobInstance(campaignJob.getName(), parameters);
            JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (last != null && (last.getStatus().isRunning() || last.getStepExecutions().stream().anyMatch(step -> step.getStatus().isRunning()))) {
                // we hold the campaign's lease, so the process that left it running is gone
                recover(last);
                last = jobRepository.getLastJobExecution(instance);
            }
            boolean resuming = last != null && last.getStatus() != BatchStatus.COMPLETED && last.getStatus() != BatchStatus.ABANDONED;
            if (last == null || resuming) {
                JobExecution execution = jobOperator.start(campaignJob, parameters);
                return new RunResult(execution, reporter.summarize(run.campaign(), run.endpointId(), execution.getId()));
            }
            CampaignSummary summary = reporter.summarize(run.campaign(), run.endpointId(), null);
            if (worthAnotherPass(summary, run)) {
                continue;
            }
            // nothing to pay for: still put in place what was made elsewhere, and rewrite the manifest and report
            return new RunResult(null, placeAndReport(run, last));
        }
    }

    /** The last execution of this campaign's latest pass (the one a "same command" continues), or null. */
    private JobExecution newestExecution(CampaignRun run, String csvSha256) {
        JobExecution newest = null;
        for (long pass = 1; ; pass++) {
            JobInstance instance = jobRepository.getJobInstance(campaignJob.getName(), CampaignParameters.of(run, csvSha256, pass));
            if (instance == null) {
                return newest;
            }
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null) {
                newest = last;
            }
        }
    }

    private CampaignSummary placeAndReport(CampaignRun run, JobExecution last) throws InterruptedException {
        long key = -last.getId(); // a session of its own, apart from any execution's
        try {
            finisher.finish(key, run);
        } finally {
            sessions.close(key);
        }
        CampaignSummary summary = reporter.writeManifest(run.campaign(), run.endpointId(), null);
        reports.writeAfterRun(run.campaign(), run.endpointId(), null); // never throws
        return summary;
    }

    /** Videos left that can be made without any risk of paying twice. */
    private static boolean worthAnotherPass(CampaignSummary summary, CampaignRun run) {
        return summary.count(VideoStatus.FAILED) + summary.count(VideoStatus.PENDING) - summary.inFlight() > 0
                || run.resendUncertain() && summary.count(VideoStatus.UNCERTAIN) > 0;
    }

    /** {@code JobOperator.recover}: the execution and its running steps become FAILED, so the instance can restart. */
    private void recover(JobExecution last) {
        JobExecution fresh = jobRepository.getJobExecution(last.getId());
        if (fresh.getExecutionContext().containsKey(CampaignJobListener.RECOVERED)) {
            fresh.getExecutionContext().remove(CampaignJobListener.RECOVERED);
            jobRepository.updateExecutionContext(fresh);
        }
        jobOperator.recover(fresh);
    }

    static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new CampaignFileException(file, "cannot be read: " + e.getMessage());
        }
    }
}
