package io.klingbatch.job;

import io.klingbatch.output.CampaignSummary;
import org.springframework.batch.core.job.JobExecution;

/**
 * How a {@code run} ended.
 *
 * @param execution the execution this command ran, or null when there was nothing to run
 * @param summary   the campaign's state afterwards (from the CSV and the ledger)
 */
public record RunResult(JobExecution execution, CampaignSummary summary) {

    public boolean launched() {
        return execution != null;
    }
}
