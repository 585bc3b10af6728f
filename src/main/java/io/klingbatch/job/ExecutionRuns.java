package io.klingbatch.job;

import io.klingbatch.generation.CampaignRun;
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

    CampaignRun of(StepExecution step) {
        return of(step.getJobExecution());
    }

    CampaignRun of(JobExecution execution) {
        return runs.computeIfAbsent(execution.getId(), id -> CampaignParameters.toRun(execution.getJobParameters()));
    }

    void forget(long executionId) {
        runs.remove(executionId);
    }
}
