package io.klingbatch.generation;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The job's last step: every v2 result collected and every paid video in place. A run whose results are still being
 * made when its wait ends is STOPPED, not COMPLETED, saying how many: the same command collects them, paying nothing again.
 */
public class CollectVideos implements Tasklet {

    private final CampaignRun run;
    private final RunFinisher finisher;
    private final RunSessions sessions;

    public CollectVideos(CampaignRun run, RunFinisher finisher, RunSessions sessions) {
        this.run = run;
        this.finisher = finisher;
        this.sessions = sessions;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        long executionId = contribution.getStepExecution().getJobExecutionId();
        int left = finisher.finish(executionId, run);
        RunSession session = sessions.open(executionId, run);
        if (left > 0 && !session.stopping()) {
            session.stop(new StopReason(StopReason.Kind.RESULTS_PENDING, left + (left == 1 ? " video is" : " videos are")
                    + " still being made by the API"));
        }
        if (session.stopping()) {
            contribution.getStepExecution().setTerminateOnly();
        }
        return RepeatStatus.FINISHED;
    }
}
