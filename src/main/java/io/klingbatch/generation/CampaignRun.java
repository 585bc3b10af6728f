package io.klingbatch.generation;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.RunOptions;
import io.klingbatch.ledger.Endpoint;
import java.math.BigDecimal;
import java.util.List;

/**
 * One run of a campaign: the campaign, and how this run treats it.
 *
 * @param simulated         against the built-in simulator; its videos never count as real paid ones
 * @param resendUncertain   send again the videos that may already have been charged (the user's explicit choice)
 * @param concurrency       generations in flight at once
 * @param requestsPerMinute most requests started in any 60 s window, shared by all workers; 0 for no limit
 * @param api               v1 (blocking call) or v2 (submit, then poll)
 * @param maxCredits        the campaign's budget, or null for none
 * @param endpoint          the API the run pays: the simulator, or the configured base URL; null until the launcher resolves it
 * @param remake            ids of rows to pay one new take for ({@code --remake}); empty for none
 */
public record CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute,
                          Api api, BigDecimal maxCredits, Endpoint endpoint, List<String> remake) {

    public CampaignRun {
        remake = remake == null ? List.of() : List.copyOf(remake);
    }

    /** A run without a budget (tests and the benchmark). */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute) {
        this(campaign, simulated, resendUncertain, concurrency, requestsPerMinute, Api.V1, null);
    }

    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, int concurrency, int requestsPerMinute, Api api,
                       BigDecimal maxCredits) {
        this(campaign, simulated, resendUncertain, concurrency, requestsPerMinute, api, maxCredits, simulated ? Endpoint.SIMULATOR : null, List.of());
    }

    /** A run at the campaign's own settings (its job file's, else the defaults). */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain) {
        this(campaign, simulated, resendUncertain, Overrides.NONE);
    }

    /** A run whose command-line options (null when not given) win over the job file's. */
    public CampaignRun(Campaign campaign, boolean simulated, boolean resendUncertain, Overrides options) {
        this(campaign, simulated, resendUncertain,
                first(options.concurrency(), campaign.options().concurrency(), RunOptions.DEFAULT_CONCURRENCY),
                first(options.requestsPerMinute(), campaign.options().requestsPerMinute(), 0),
                options.api() != null ? options.api() : Api.parse(campaign.options().api()) != null ? Api.parse(campaign.options().api()) : Api.V1,
                options.maxCredits() != null ? options.maxCredits() : campaign.options().maxCredits(),
                simulated ? Endpoint.SIMULATOR : null, options.remake());
    }

    /** The command line's say over the job file; each may be null. */
    public record Overrides(Integer concurrency, Integer requestsPerMinute, Api api, BigDecimal maxCredits, List<String> remake) {
        public static final Overrides NONE = new Overrides(null, null, null, null, List.of());

        public Overrides(Integer concurrency, Integer requestsPerMinute, Api api, BigDecimal maxCredits) {
            this(concurrency, requestsPerMinute, api, maxCredits, List.of());
        }
    }

    public CampaignRun withEndpoint(Endpoint resolved) {
        return new CampaignRun(campaign, simulated, resendUncertain, concurrency, requestsPerMinute, api, maxCredits, resolved, remake);
    }

    public CampaignRun withRemake(List<String> ids) {
        return new CampaignRun(campaign, simulated, resendUncertain, concurrency, requestsPerMinute, api, maxCredits, endpoint, ids);
    }

    /** {@link Endpoint#id()}; the run must have been resolved. */
    public String endpointId() {
        if (endpoint == null) {
            throw new IllegalStateException("the run's endpoint is not resolved yet");
        }
        return endpoint.id();
    }

    private static int first(Integer option, Integer jobFile, int fallback) {
        return option != null ? option : jobFile != null ? jobFile : fallback;
    }
}
