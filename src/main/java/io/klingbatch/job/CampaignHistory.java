package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** What the job repository knows of a campaign's runs, for {@code status} and for telling a live run from a killed one. */
@Component
public class CampaignHistory {

    /** Whether the process of an execution still marked running is there. */
    public enum Owner { ALIVE, GONE, ELSEWHERE }

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

    /** A run of this output folder that is going on now (here, or on another host as far as anyone can tell). */
    public Optional<JobExecution> running(Campaign campaign) {
        return lastExecution(campaign)
                .filter(execution -> execution.getStatus().isRunning() || execution.getStepExecutions().stream().anyMatch(step -> step.getStatus().isRunning()))
                .filter(execution -> owner(execution) != Owner.GONE);
    }

    /** Whether an execution was run in simulated mode. */
    public static boolean simulated(JobExecution execution) {
        return Boolean.parseBoolean(execution.getJobParameters().getString(CampaignParameters.SIMULATED));
    }

    public static Owner owner(JobExecution execution) {
        String host = execution.getExecutionContext().getString(CampaignJobListener.HOST, "");
        long pid = execution.getExecutionContext().getLong(CampaignJobListener.PID, -1L);
        if (!host.equals(CampaignJobListener.hostName())) {
            return Owner.ELSEWHERE;
        }
        String started = execution.getExecutionContext().getString(CampaignJobListener.STARTED, "");
        boolean alive = pid > 0 && ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> started.isEmpty() || started.equals(CampaignJobListener.jvmStarted(process)))
                .isPresent();
        return alive ? Owner.ALIVE : Owner.GONE;
    }
}
