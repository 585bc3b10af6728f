package io.klingbatch.job;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.calls;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.paidCalls;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.WireMockApi;
import java.nio.file.Files;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.ledger.CampaignHeldException;
import io.klingbatch.ledger.Lease;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.Leases;
import io.klingbatch.output.VideoStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;

/** What the next command finds after a process was killed: a call in flight, an execution still marked running. */
class RecoveryTest extends CampaignTestSupport {

    @Autowired
    Ledger ledger;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    Leases leases;

    @Test
    void aCallInFlightWhenTheProcessDiedIsUncertainAndNotResent() throws Exception {
        SERVER.stubFor(generate("desert").willReturn(video("req-desert")));
        Path csv = csv("id,prompt\nk,killed desert\nn,next desert\n");
        Campaign campaign = campaign(csv);
        ledger.claim(keyOf(campaign, "k"), deadRunClaim("k"), java.util.Optional.empty());

        var result = run(csv);

        assertThat(calls("killed desert")).isEmpty();
        assertThat(calls("next desert")).hasSize(1);
        assertThat(result.summary().count(VideoStatus.UNCERTAIN)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).startsWith("k,1,UNCERTAIN").contains("in flight");
    }

    @Test
    void anExecutionLeftRunningByAKilledProcessIsRecoveredAndResumed() throws Exception {
        SERVER.stubFor(generate("valley").willReturn(video("req-v")));
        SERVER.stubFor(generate("third valley").willReturn(error(406, "Insufficient credits")));
        Path csv = csv("prompt\nfirst valley\nsecond valley\nthird valley\n");
        JobExecution stopped = run(csv).execution();
        markRunning(stopped); // as a killed process leaves it

        SERVER.stubFor(generate("third valley").willReturn(video("req-3")));
        var resumed = run(csv);

        assertThat(resumed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.execution().getJobInstance().getInstanceId()).isEqualTo(stopped.getJobInstance().getInstanceId());
        assertThat(List.of(paidCalls("first valley"), paidCalls("second valley"), paidCalls("third valley"))).containsOnly(1L);
    }

    @Test
    void anExecutionWhoseRunHoldsTheLeaseIsLeftAlone() throws Exception {
        SERVER.stubFor(generate("ridge").willReturn(error(406, "Insufficient credits")));
        Path csv = csv("prompt\nlone ridge\n");
        JobExecution stopped = run(csv).execution();
        markRunning(stopped);
        SERVER.resetRequests();

        String key = CampaignLauncher.leaseKey(campaign(csv).csv(), endpoint());
        try (Lease held = leases.hold(key, "campaign", message -> { })) {
            assertThatThrownBy(() -> run(csv)).isInstanceOf(CampaignHeldException.class).hasMessageContaining("another run holds this campaign");
        }
        assertThat(calls("ridge")).isEmpty();
        assertThat(jobRepository.getLastJobExecution(stopped.getJobInstance()).getStatus()).isEqualTo(BatchStatus.STARTED);
    }

    @Test
    void aNewDatabaseFindsThePaidVideosInTheOutputFolderAndDoesNotPayAgain() throws Exception {
        SERVER.stubFor(generate("harbour").willReturn(video("req-h")));
        Path csv = csv("id,prompt\na,first harbour\nb,second harbour\n");
        run(csv);
        jdbc.update("DELETE FROM kb_video"); // as if the job repository were lost, or another one
        Files.writeString(csv, "c,third harbour\n", java.nio.file.StandardOpenOption.APPEND);
        SERVER.resetRequests();

        var result = run(csv);

        assertThat(WireMockApi.allCalls()).isEqualTo(1);
        assertThat(calls("third harbour")).hasSize(1);
        assertThat(result.summary().allGenerated()).isTrue();
    }

    private void markRunning(JobExecution execution) {
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        for (StepExecution step : last.getStepExecutions()) {
            step.setStatus(BatchStatus.STARTED);
            step.setEndTime(null);
            jobRepository.update(step);
        }
        last.setStatus(BatchStatus.STARTED);
        last.setEndTime(null);
        jobRepository.update(last);
    }

}
