package io.klingbatch.job;

import io.klingbatch.generation.CampaignReporter;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.RunSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * After every run, completed, stopped or failed: keeps why it stopped, waits for the run's v2
 * results (nothing paid is left behind), closes its client and rewrites the manifest.
 */
@Component
class CampaignJobListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(CampaignJobListener.class);

    private final JobRepository jobRepository;
    private final CampaignReporter reporter;
    private final RunSessions sessions;

    CampaignJobListener(JobRepository jobRepository, CampaignReporter reporter, RunSessions sessions) {
        this.jobRepository = jobRepository;
        this.reporter = reporter;
        this.sessions = sessions;
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        CampaignRun run = CampaignParameters.toRun(jobExecution.getJobParameters());
        try {
            sessions.finish(jobExecution.getId(), run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("could not collect every v2 result; they stay SUBMITTED for the next run", e);
        }
        StopReason.of(jobExecution).store(jobExecution);
        jobRepository.updateExecutionContext(jobExecution);
        try {
            reporter.writeManifest(run);
        } catch (RuntimeException e) {
            log.error("could not rewrite the manifest", e);
            jobExecution.setStatus(BatchStatus.FAILED);
            jobExecution.addFailureException(e);
        }
    }
}
