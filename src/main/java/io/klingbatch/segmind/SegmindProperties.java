package io.klingbatch.segmind;

import io.klingbatch.Settings;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client settings ({@code segmind.*}); a job file's {@code client:} section overrides them per campaign.
 * The API key is not a setting: it comes only from the environment variable {@code SEGMIND_API_KEY}.
 *
 * <p>v2 (submit, then poll): status is polled every {@code pollInterval}, growing to {@code maxPollInterval}; a run
 * waits at most {@code maxWait} for one result (the request stays stored and the next run collects it); the API
 * keeps results for {@code resultRetention}; at most {@code maxInFlight} submitted requests wait at once.
 */
@ConfigurationProperties("segmind")
public record SegmindProperties(
        @DefaultValue("https://api.segmind.com") URI baseUrl,
        @DefaultValue("4") int maxAttempts,
        @DefaultValue("2s") Duration baseDelay,
        @DefaultValue("60s") Duration maxDelay,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("5m") Duration responseTimeout,
        @DefaultValue("10m") Duration maxRateLimitWait,
        @DefaultValue("100") int maxRateLimitWaits,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration maxPollInterval,
        @DefaultValue("30m") Duration maxWait,
        @DefaultValue("1h") Duration resultRetention,
        @DefaultValue("100") int maxInFlight) {

    /** Checked here rather than by Bean Validation (see {@link Settings}). */
    public SegmindProperties {
        Settings.require(baseUrl != null, "segmind.base-url", "must be set");
        Settings.positive(maxAttempts, "segmind.max-attempts");
        Settings.positive(maxRateLimitWaits, "segmind.max-rate-limit-waits");
        Settings.positive(maxInFlight, "segmind.max-in-flight");
        Settings.duration(baseDelay, "segmind.base-delay");
        Settings.duration(maxDelay, "segmind.max-delay");
        Settings.duration(connectTimeout, "segmind.connect-timeout");
        Settings.duration(responseTimeout, "segmind.response-timeout");
        Settings.duration(maxRateLimitWait, "segmind.max-rate-limit-wait");
        Settings.duration(pollInterval, "segmind.poll-interval");
        Settings.duration(maxPollInterval, "segmind.max-poll-interval");
        Settings.duration(maxWait, "segmind.max-wait");
        Settings.duration(resultRetention, "segmind.result-retention");
    }

    /** These settings with a campaign's overrides (each may be null) applied. */
    public ClientSettings with(URI baseUrlOverride, Integer attempts, Duration delay, Duration connect, Duration response, int connections) {
        return new ClientSettings(
                baseUrlOverride != null ? baseUrlOverride : baseUrl,
                attempts != null ? attempts : maxAttempts,
                delay != null ? delay : baseDelay,
                maxDelay,
                connect != null ? connect : connectTimeout,
                response != null ? response : responseTimeout,
                Math.max(1, connections),
                maxRateLimitWait,
                maxRateLimitWaits);
    }
}
