package io.klingbatch.job;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.ledger.Endpoint;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes a campaign run "the same" to Spring Batch: the CSV's content, the API it pays, the output folder and a
 * pass number. Not the file's name or path, nor the working directory: a re-downloaded CSV, or a run from cron in
 * another directory, is the same campaign. Same values after a stop: the stopped execution is restarted. Changed CSV:
 * a new instance, where every video already made is found in the ledger, not paid again. No incrementer: it would
 * ignore all this and start a new instance every time.
 *
 * <p>Job parameters are stored in plain text in the job repository: nothing secret goes in, ever.
 */
final class CampaignParameters {

    static final String CSV_SHA256 = "csv.sha256";
    static final String ENDPOINT = "endpoint";
    static final String OUTPUT = "output";
    static final String PASS = "pass";
    static final String CAMPAIGN = "campaign";
    static final String NAME = "name";
    static final String SIMULATED = "simulated";
    static final String RESEND_UNCERTAIN = "resend-uncertain";
    static final String CONCURRENCY = "concurrency";
    static final String REQUESTS_PER_MINUTE = "requests-per-minute";
    static final String API = "api";
    static final String MAX_CREDITS = "max-credits";
    static final String REMAKE = "remake";
    static final String TAKES = "takes";

    private CampaignParameters() {
    }

    static JobParameters of(CampaignRun run, String csvSha256, long pass) {
        return new JobParametersBuilder()
                .addString(CSV_SHA256, csvSha256)
                .addString(ENDPOINT, run.endpointId())
                .addString(OUTPUT, run.campaign().output().toString())
                .addLong(PASS, pass)
                .addString(CAMPAIGN, run.campaign().source().toString(), false)
                .addString(NAME, run.campaign().name(), false)
                .addString(SIMULATED, String.valueOf(run.simulated()), false)
                .addString(RESEND_UNCERTAIN, String.valueOf(run.resendUncertain()), false)
                .addLong(CONCURRENCY, (long) run.concurrency(), false)
                .addLong(REQUESTS_PER_MINUTE, (long) run.requestsPerMinute(), false)
                .addString(API, run.api().name(), false)
                .addString(MAX_CREDITS, run.maxCredits() == null ? "" : run.maxCredits().toPlainString(), false)
                .addString(REMAKE, String.join(",", run.remake()), false)
                .addLong(TAKES, (long) run.campaign().videos().takes(), false)
                .toJobParameters();
    }

    /** Rebuilds the run from its parameters, re-reading the job file: a restart in a new process needs nothing else. */
    static CampaignRun toRun(JobParameters parameters) {
        Path source = Path.of(parameters.getString(CAMPAIGN));
        Campaign campaign = new CampaignLoader(source.getParent()).load(source, Path.of(parameters.getString(OUTPUT)));
        Long takes = parameters.getLong(TAKES);
        if (takes != null && takes > 0) {
            campaign = campaign.withTakes(takes.intValue());
        }
        Long concurrency = parameters.getLong(CONCURRENCY);
        Long requestsPerMinute = parameters.getLong(REQUESTS_PER_MINUTE);
        String budget = parameters.getString(MAX_CREDITS, "");
        String remake = parameters.getString(REMAKE, "");
        CampaignRun run = new CampaignRun(campaign, Boolean.parseBoolean(parameters.getString(SIMULATED)),
                Boolean.parseBoolean(parameters.getString(RESEND_UNCERTAIN, "false")),
                new CampaignRun.Overrides(concurrency == null ? null : concurrency.intValue(),
                        requestsPerMinute == null ? null : requestsPerMinute.intValue(),
                        Api.parse(parameters.getString(API, "V1")), budget.isEmpty() ? null : new BigDecimal(budget),
                        remake.isEmpty() ? List.of() : Arrays.asList(remake.split(","))));
        return run.withEndpoint(new Endpoint(parameters.getString(ENDPOINT)));
    }

    /** The output folder a run wrote into, with the CSV content it ran. */
    static String output(JobParameters parameters) {
        return parameters.getString(OUTPUT);
    }
}
