package io.klingbatch.job;

import io.klingbatch.generation.CampaignRun;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Each running execution's {@link CampaignRun}, built once from its job parameters (the job file read once), not once
 * per partition: a campaign of thousands of rows has hundreds of partitions.
 */
@Component
class ExecutionRuns {

    private final Map<Long, CampaignRun> runs = new ConcurrentHashMap<>();
    private final Map<Long, Map<Integer, CheckedRow.Rejected>> clashes = new ConcurrentHashMap<>();
    private final CampaignChecks checks;

    ExecutionRuns(CampaignChecks checks) {
        this.checks = checks;
    }

    CampaignRun of(StepExecution step) {
        return of(step.getJobExecution());
    }

    CampaignRun of(JobExecution execution) {
        return runs.computeIfAbsent(execution.getId(), id -> CampaignParameters.toRun(execution.getJobParameters()));
    }

    /** The rows whose video names an earlier row's took, found once per execution in one pass in CSV order. */
    Map<Integer, CheckedRow.Rejected> nameClashes(StepExecution step) {
        return clashes.computeIfAbsent(step.getJobExecutionId(), id -> checks.nameClashes(of(step).campaign()));
    }

    void forget(long executionId) {
        runs.remove(executionId);
        clashes.remove(executionId);
    }
}
