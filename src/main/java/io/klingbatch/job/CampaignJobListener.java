package io.klingbatch.job;

import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.RunFinisher;
import io.klingbatch.generation.RunSession;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.generation.StopReason;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.report.CampaignReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Around every run. Before: drops the once-only marker {@code JobOperator.recover} leaves, which a restart copies into
 * the new execution (a run recovered once and killed again could otherwise never be recovered). After, completed or
 * stopped: a stopped run still collects the v2 results it paid for when waiting makes sense and puts videos in place,
 * keeps why it stopped, closes its client, and rewrites the manifest and report.html.
 */
@Component
class CampaignJobListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(CampaignJobListener.class);
    static final String RECOVERED = "batch.recovered";

    private final JobRepository jobRepository;
    private final CampaignReporter reporter;
    private final RunSessions sessions;
    private final RunFinisher finisher;
    private final ExecutionRuns runs;
    private final CampaignReports reports;

    CampaignJobListener(JobRepository jobRepository, CampaignReporter reporter, RunSessions sessions, RunFinisher finisher, ExecutionRuns runs,
                        CampaignReports reports) {
        this.jobRepository = jobRepository;
        this.reporter = reporter;
        this.sessions = sessions;
        this.finisher = finisher;
        this.runs = runs;
        this.reports = reports;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        if (jobExecution.getExecutionContext().containsKey(RECOVERED)) {
            jobExecution.getExecutionContext().remove(RECOVERED);
            jobRepository.updateExecutionContext(jobExecution);
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        CampaignRun run = runs.of(jobExecution);
        StopReason already = sessions.find(jobExecution.getId()).map(RunSession::stopReason).orElse(null);
        try {
            // a stopped run still collects what it paid for; not again when the last step already waited (results pending)
            if (jobExecution.getStatus() != BatchStatus.COMPLETED && (already == null || already.kind() != StopReason.Kind.RESULTS_PENDING)) {
                finisher.finish(jobExecution.getId(), run);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("could not finish the run; what is waiting stays SUBMITTED for the next run", e);
        }
        StopReason reason = sessions.find(jobExecution.getId()).map(RunSession::stopReason).orElse(null);
        if (reason == null) {
            reason = StopReason.of(jobExecution);
        }
        try {
            if (reason.restartable() && jobExecution.getStatus() != BatchStatus.STOPPED) {
                jobExecution.setStatus(BatchStatus.STOPPED); // restartable, whatever exception carried it out
                jobExecution.setExitStatus(ExitStatus.STOPPED.addExitDescription(reason.message()));
            }
            reason.store(jobExecution);
            jobRepository.updateExecutionContext(jobExecution);
        } catch (RuntimeException e) {
            log.error("could not record why the run stopped", e);
        }
        try {
            reporter.writeManifest(run.campaign(), run.endpointId(), jobExecution.getId());
            reports.writeAfterRun(run.campaign(), run.endpointId(), jobExecution.getId()); // never throws
        } catch (RuntimeException e) {
            log.error("could not rewrite the manifest", e);
        } finally {
            sessions.close(jobExecution.getId());
            runs.forget(jobExecution.getId());
        }
    }
}
