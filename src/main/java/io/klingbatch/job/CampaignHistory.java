package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** What the job repository knows of a campaign's runs, for {@code status}. */
@Component
public class CampaignHistory {

    private final JobRepository jobRepository;
    private final Job campaignJob;

    CampaignHistory(JobRepository jobRepository, Job campaignJob) {
        this.jobRepository = jobRepository;
        this.campaignJob = campaignJob;
    }

    /**
     * The most recent execution that wrote into the campaign's output folder (any pass, any CSV version, whether it
     * was started from the CSV or from a job file naming it: the folder is what the ledger keys a campaign by).
     */
    public Optional<JobExecution> lastExecution(Campaign campaign) {
        String output = campaign.output().toString();
        return jobRepository.findJobInstances(campaignJob.getName()).stream()
                .map(jobRepository::getLastJobExecution)
                .filter(Objects::nonNull)
                .filter(execution -> output.equals(execution.getJobParameters().getString(CampaignParameters.OUTPUT)))
                .max(Comparator.comparing(JobExecution::getId));
    }

    /** Whether an execution was run in simulated mode. */
    public static boolean simulated(JobExecution execution) {
        return Boolean.parseBoolean(execution.getJobParameters().getString(CampaignParameters.SIMULATED));
    }
}
