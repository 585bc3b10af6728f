package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import java.nio.file.Path;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes a campaign run "the same" to Spring Batch: the file the user named, the output folder, the CSV's
 * content hash, the mode, and a pass number. Same values after a stop: the stopped execution is restarted.
 * Changed CSV: a new instance, where the ledger skips every row already paid. No incrementer: it would ignore
 * all this and start a new instance every time.
 *
 * <p>Job parameters are stored in plain text in the job repository: nothing secret goes in, ever.
 */
final class CampaignParameters {

    static final String CAMPAIGN = "campaign";
    static final String OUTPUT = "output";
    static final String CSV_SHA256 = "csv.sha256";
    static final String SIMULATED = "simulated";
    static final String PASS = "pass";
    static final String RESEND_UNCERTAIN = "resend-uncertain";
    static final String CONCURRENCY = "concurrency";
    static final String REQUESTS_PER_MINUTE = "requests-per-minute";
    static final String API = "api";
    static final String MAX_CREDITS = "max-credits";

    private CampaignParameters() {
    }

    static JobParameters of(CampaignRun run, String csvSha256, long pass) {
        return new JobParametersBuilder()
                .addString(CAMPAIGN, run.campaign().source().toString())
                .addString(OUTPUT, run.campaign().output().toString())
                .addString(CSV_SHA256, csvSha256)
                .addString(SIMULATED, String.valueOf(run.simulated()))
                .addLong(PASS, pass)
                .addString(RESEND_UNCERTAIN, String.valueOf(run.resendUncertain()), false)
                .addLong(CONCURRENCY, (long) run.concurrency(), false)
                .addLong(REQUESTS_PER_MINUTE, (long) run.requestsPerMinute(), false)
                .addString(API, run.api().name(), false)
                .addString(MAX_CREDITS, run.maxCredits() == null ? "" : run.maxCredits().toPlainString(), false)
                .toJobParameters();
    }

    /** Rebuilds the run from its parameters, re-reading the job file: a restart in a new process needs nothing else. */
    static CampaignRun toRun(JobParameters parameters) {
        Path source = Path.of(parameters.getString(CAMPAIGN));
        Campaign campaign = new CampaignLoader(source.getParent()).load(source, Path.of(parameters.getString(OUTPUT)));
        Long concurrency = parameters.getLong(CONCURRENCY);
        Long requestsPerMinute = parameters.getLong(REQUESTS_PER_MINUTE);
        String budget = parameters.getString(MAX_CREDITS, "");
        return new CampaignRun(campaign, Boolean.parseBoolean(parameters.getString(SIMULATED)),
                Boolean.parseBoolean(parameters.getString(RESEND_UNCERTAIN, "false")),
                new CampaignRun.Overrides(concurrency == null ? null : concurrency.intValue(),
                        requestsPerMinute == null ? null : requestsPerMinute.intValue(),
                        Api.parse(parameters.getString(API, "V1")), budget.isEmpty() ? null : new java.math.BigDecimal(budget)));
    }
}
