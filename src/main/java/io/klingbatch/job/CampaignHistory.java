package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.ledger.Endpoint;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** What the job repository knows of a campaign's runs, for {@code status}: the same on every machine that shares it. */
@Component
public class CampaignHistory {

    private final JobRepository jobRepository;
    private final Job campaignJob;

    CampaignHistory(JobRepository jobRepository, Job campaignJob) {
        this.jobRepository = jobRepository;
        this.campaignJob = campaignJob;
    }

    /**
     * The most recent run of the campaign: of the same CSV content, whichever output folder or machine it wrote to, or
     * of an earlier version of the CSV under the same name into the same folder.
     */
    public Optional<JobExecution> lastExecution(Campaign campaign) {
        String csvSha256 = CampaignLauncher.sha256(campaign.csv());
        return jobRepository.findJobInstances(campaignJob.getName()).stream()
                .map(jobRepository::getLastJobExecution)
                .filter(Objects::nonNull)
                .filter(execution -> csvSha256.equals(execution.getJobParameters().getString(CampaignParameters.CSV_SHA256))
                        || campaign.name().equals(execution.getJobParameters().getString(CampaignParameters.NAME))
                        && campaign.output().toString().equals(execution.getJobParameters().getString(CampaignParameters.OUTPUT)))
                .max(Comparator.comparing(JobExecution::getId));
    }

    /** The budget ({@code --max-credits}, or the job file's {@code max-credits}) an execution ran under, or null for none. */
    public static java.math.BigDecimal budget(JobExecution execution) {
        String budget = execution.getJobParameters().getString(CampaignParameters.MAX_CREDITS, "");
        return budget == null || budget.isEmpty() ? null : new java.math.BigDecimal(budget);
    }

    /** The API an execution paid: the simulator or a base URL (null for a run of an earlier version against the real API). */
    public static Endpoint endpoint(JobExecution execution) {
        String id = execution.getJobParameters().getString(CampaignParameters.ENDPOINT);
        if (id != null) {
            return new Endpoint(id);
        }
        return Boolean.parseBoolean(execution.getJobParameters().getString(CampaignParameters.SIMULATED)) ? Endpoint.SIMULATOR : null;
    }
}
