package io.klingbatch.job;

import io.klingbatch.campaign.CampaignCsv;
import io.klingbatch.campaign.CampaignItemReader;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.CollectVideos;
import io.klingbatch.generation.GenerationWriter;
import io.klingbatch.generation.RunFinisher;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckRowProcessor;
import io.klingbatch.request.CheckedRow;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The campaign job: a partitioned step whose workers each read a range of CSV rows, check them and give each its
 * video, then a step that collects the v2 results still being made and puts every paid video in place. Wiring only;
 * what happens to a row lives in the reader, processor, writer and finisher.
 *
 * <p>Concurrency comes from local partitioning: many small row ranges handed to {@code concurrency} threads. Each
 * partition keeps its own reader position in the job repository, so a stopped or killed run resumes each unfinished
 * range where it was; a worker that finishes a range takes the next one, so no worker waits on another worker's slow
 * call. No skip or retry policy on purpose: both re-write chunks, which for a paid call means paying again. Row
 * failures are recorded by the writer; retries happen inside the Segmind client.
 */
@Configuration(proxyBeanMethods = false)
class CampaignJobConfiguration {

    static final String JOB_NAME = "campaignJob";
    static final String STEP_NAME = "generateVideos";
    static final String WORKER_STEP_NAME = "generateVideosWorker";
    static final String COLLECT_STEP_NAME = "collectVideos";
    private static final String ROWS = "kling.rows";

    @Bean
    Job campaignJob(JobRepository jobRepository, Step generateVideos, Step collectVideos, CampaignJobListener listener) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(listener)
                .start(generateVideos)
                .next(collectVideos)
                .build();
    }

    @Bean
    Step generateVideos(JobRepository jobRepository, Partitioner rowRanges, PartitionHandler workers) {
        return new StepBuilder(STEP_NAME, jobRepository)
                .partitioner(WORKER_STEP_NAME, rowRanges)
                .partitionHandler(workers)
                .build();
    }

    @Bean
    Step generateVideosWorker(JobRepository jobRepository, PlatformTransactionManager transactionManager, JobProperties properties,
                              CampaignItemReader campaignReader, CheckRowProcessor checkRowProcessor, GenerationWriter generationWriter) {
        return new StepBuilder(WORKER_STEP_NAME, jobRepository)
                .<PromptRow, CheckedRow>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(campaignReader)
                .processor(checkRowProcessor)
                .writer(generationWriter)
                .build();
    }

    @Bean
    Step collectVideos(JobRepository jobRepository, PlatformTransactionManager transactionManager, CollectVideos collectVideosTasklet) {
        return new StepBuilder(COLLECT_STEP_NAME, jobRepository)
                .tasklet(collectVideosTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    Partitioner rowRanges(@Value("#{stepExecution}") StepExecution stepExecution, ExecutionRuns runs) {
        return new RowRangePartitioner(rows(stepExecution, runs));
    }

    @Bean
    @StepScope
    PartitionHandler workers(@Value("#{stepExecution}") StepExecution stepExecution, Step generateVideosWorker, ExecutionRuns runs)
            throws Exception {
        CampaignRun run = runs.of(stepExecution);
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("kling-worker-");
        threads.setConcurrencyLimit(run.concurrency());
        TaskExecutorPartitionHandler handler = new RowOrderPartitionHandler();
        handler.setStep(generateVideosWorker);
        handler.setTaskExecutor(threads);
        handler.setGridSize(RowRangePartitioner.gridSize(rows(stepExecution, runs), run.concurrency()));
        handler.afterPropertiesSet();
        return handler;
    }

    @Bean
    @StepScope
    CampaignItemReader campaignReader(@Value("#{stepExecution}") StepExecution stepExecution, ExecutionRuns runs) {
        var range = stepExecution.getExecutionContext();
        return new CampaignItemReader(runs.of(stepExecution).campaign(),
                range.getInt(RowRangePartitioner.FIRST), range.getInt(RowRangePartitioner.LAST));
    }

    @Bean
    @StepScope
    CheckRowProcessor checkRowProcessor(@Value("#{stepExecution}") StepExecution stepExecution, CampaignChecks checks, ExecutionRuns runs) {
        return checks.processorFor(runs.of(stepExecution).campaign(), runs.nameClashes(stepExecution));
    }

    @Bean
    @StepScope
    GenerationWriter generationWriter(@Value("#{stepExecution}") StepExecution stepExecution, RunSessions sessions, ExecutionRuns runs) {
        CampaignRun run = runs.of(stepExecution);
        return new GenerationWriter(run, sessions.open(stepExecution.getJobExecutionId(), run));
    }

    @Bean
    @StepScope
    CollectVideos collectVideosTasklet(@Value("#{stepExecution}") StepExecution stepExecution, RunFinisher finisher, RunSessions sessions,
                                       ExecutionRuns runs) {
        return new CollectVideos(runs.of(stepExecution), finisher, sessions);
    }

    /**
     * The CSV's row count, counted once per manager step and kept in its context: the partition handler and the
     * partitioner both need it, and a restart (same CSV, by the job's identity) reads it back instead of counting.
     */
    private static int rows(StepExecution manager, ExecutionRuns runs) {
        var context = manager.getExecutionContext();
        if (!context.containsKey(ROWS)) {
            context.putInt(ROWS, CampaignCsv.countRows(runs.of(manager).campaign()));
        }
        return context.getInt(ROWS);
    }
}
