package io.klingbatch.job;

import io.klingbatch.campaign.CampaignItemReader;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.GenerationWriter;
import io.klingbatch.generation.Ledger;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckRowProcessor;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.segmind.SegmindConnector;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The campaign job: one chunk-oriented step, CSV rows in, checked rows through, paid videos out. Wiring only;
 * what happens to a row lives in the reader, processor and writer. No skip or retry policy on purpose: both
 * re-write chunks, which for a paid call means paying again. Row failures are recorded by the writer; retries
 * happen inside the Segmind client.
 */
@Configuration(proxyBeanMethods = false)
class CampaignJobConfiguration {

    static final String JOB_NAME = "campaignJob";
    static final String STEP_NAME = "generateVideos";

    @Bean
    Job campaignJob(JobRepository jobRepository, Step generateVideos, CampaignJobListener listener) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(listener)
                .start(generateVideos)
                .build();
    }

    @Bean
    Step generateVideos(JobRepository jobRepository, PlatformTransactionManager transactionManager, JobProperties properties,
                        CampaignItemReader campaignReader, CheckRowProcessor checkRowProcessor, GenerationWriter generationWriter) {
        return new StepBuilder(STEP_NAME, jobRepository)
                .<PromptRow, CheckedRow>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(campaignReader)
                .processor(checkRowProcessor)
                .writer(generationWriter)
                .build();
    }

    @Bean
    @StepScope
    CampaignItemReader campaignReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        return new CampaignItemReader(run(stepExecution).campaign().csv());
    }

    @Bean
    @StepScope
    CheckRowProcessor checkRowProcessor(@Value("#{stepExecution}") StepExecution stepExecution, CampaignChecks checks) {
        return new CheckRowProcessor(checks.validatorFor(run(stepExecution).campaign()));
    }

    @Bean
    @StepScope
    GenerationWriter generationWriter(@Value("#{stepExecution}") StepExecution stepExecution, Ledger ledger,
                                      SegmindConnector connector, ProgressRelay progress) {
        CampaignRun run = run(stepExecution);
        var client = run.campaign().client();
        return new GenerationWriter(run, ledger, connector.open(run.simulated(), client.maxAttempts(), client.baseDelay(),
                client.connectTimeout(), client.responseTimeout(), 1, 0), progress);
    }

    private static CampaignRun run(StepExecution stepExecution) {
        return CampaignParameters.toRun(stepExecution.getJobParameters());
    }
}
