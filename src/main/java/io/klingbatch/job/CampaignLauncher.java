package io.klingbatch.job;

import io.klingbatch.Sha256;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.generation.CampaignReporter;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.CampaignSummary;
import io.klingbatch.generation.OutputFolder;
import io.klingbatch.generation.VideoStatus;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import java.time.LocalDateTime;
import org.springframework.stereotype.Component;

/**
 * Runs a campaign with "the same command" semantics:
 * <ul>
 * <li>never run before, or the CSV changed: a new job instance (the ledger still skips rows already paid);</li>
 * <li>last execution STOPPED or FAILED: that instance is restarted where it stopped;</li>
 * <li>a run of the same output folder going on now, in this or another process: refused (the folder's lock);</li>
 * <li>last execution (or one of its steps) still marked running while nobody holds the folder's lock: its process
 * was killed, so it is marked failed, then restarted;</li>
 * <li>COMPLETED: nothing is launched, unless rows are left that cost nothing to try again (FAILED, or UNCERTAIN
 * with {@code --resend-uncertain}); then a next pass of the same campaign runs for those rows only.</li>
 * </ul>
 */
@Component
public class CampaignLauncher {

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job campaignJob;
    private final CampaignReporter reporter;

    CampaignLauncher(JobOperator jobOperator, JobRepository jobRepository, Job campaignJob, CampaignReporter reporter) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.campaignJob = campaignJob;
        this.reporter = reporter;
    }

    public RunResult run(CampaignRun run) throws Exception {
        OutputFolder.claim(run.campaign());
        try (AutoCloseable lock = OutputFolder.lock(run.campaign()).orElseThrow(() -> new CampaignAlreadyRunningException(
                "another kling-batch run is making this campaign right now (its output folder " + run.campaign().output()
                        + " is locked); wait for it to finish"))) {
            return runLocked(run);
        }
    }

    private RunResult runLocked(CampaignRun run) throws Exception {
        String csvSha256 = sha256(run.campaign().csv());
        for (long pass = 1; ; pass++) {
            JobParameters parameters = CampaignParameters.of(run, csvSha256, pass);
            JobInstance instance = jobRepository.getJobInstance(campaignJob.getName(), parameters);
            JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (last == null) {
                return launch(run, parameters);
            }
            BatchStatus status = last.getStatus();
            if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                CampaignSummary summary = reporter.summarize(run);
                if (worthAnotherPass(summary, run)) {
                    continue;
                }
                return new RunResult(null, reporter.writeManifest(run));
            }
            if (status.isRunning() || last.getStepExecutions().stream().anyMatch(step -> step.getStatus().isRunning())) {
                markFailed(last); // marked running, but we hold the folder's lock: its process is gone
            }
            return launch(run, parameters);
        }
    }

    private RunResult launch(CampaignRun run, JobParameters parameters) throws Exception {
        JobExecution execution = jobOperator.start(campaignJob, parameters);
        return new RunResult(execution, reporter.summarize(run));
    }

    /** Rows left that can be tried again without any risk of paying twice. */
    private static boolean worthAnotherPass(CampaignSummary summary, CampaignRun run) {
        return summary.count(VideoStatus.FAILED) + summary.count(VideoStatus.PENDING) > 0
                || run.resendUncertain() && summary.count(VideoStatus.UNCERTAIN) > 0;
    }

    /**
     * What {@code JobOperator.recover} does, minus its once-only marker: that marker travels into the restarted
     * execution's context, so a run killed a second time could never be recovered again.
     */
    private void markFailed(JobExecution last) {
        for (StepExecution step : last.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                step.setEndTime(LocalDateTime.now());
                jobRepository.update(step);
            }
        }
        last.setStatus(BatchStatus.FAILED);
        last.setEndTime(LocalDateTime.now());
        jobRepository.update(last);
    }

    static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new CampaignFileException(file, "cannot be read: " + e.getMessage());
        }
    }
}
