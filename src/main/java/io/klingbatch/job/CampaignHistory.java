package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.ledger.Endpoint;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** What the job repository knows of a campaign's runs, for {@code status}: the same on every machine that shares it. */
@Component
public class CampaignHistory {

    private final JobRepository jobRepository;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    CampaignHistory(JobRepository jobRepository, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jobRepository = jobRepository;
        this.jdbc = jdbc;
    }

    /**
     * The most recent run of the campaign: of the same CSV content, whichever output folder or machine it wrote to, or
     * of an earlier version of the CSV under the same name into the same folder.
     */
    public Optional<JobExecution> lastExecution(Campaign campaign) {
        String csvSha256 = CampaignLauncher.sha256(campaign.csv());
        // one query, not one per job instance: status answers as fast with a thousand runs behind it as with one
        Long id = jdbc.queryForObject("SELECT MAX(e.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e"
                + " JOIN BATCH_JOB_INSTANCE i ON e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID WHERE i.JOB_NAME = ? AND ("
                + " EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS p WHERE p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
                + "   AND p.PARAMETER_NAME = ? AND p.PARAMETER_VALUE = ?)"
                + " OR EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS n, BATCH_JOB_EXECUTION_PARAMS o"
                + "   WHERE n.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID AND o.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
                + "   AND n.PARAMETER_NAME = ? AND n.PARAMETER_VALUE = ? AND o.PARAMETER_NAME = ? AND o.PARAMETER_VALUE = ?))",
                Long.class, CampaignJobConfiguration.JOB_NAME, CampaignParameters.CSV_SHA256, csvSha256, CampaignParameters.NAME, campaign.name(),
                CampaignParameters.OUTPUT, campaign.output().toString());
        return id == null ? Optional.empty() : Optional.ofNullable(jobRepository.getJobExecution(id));
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
