package io.klingbatch.segmind;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Client settings ({@code segmind.*}); a job file's {@code client:} section overrides them per campaign.
 * The API key is not a setting: it comes only from the environment variable {@code SEGMIND_API_KEY}.
 *
 * <p>v2 (submit, then poll): status is polled every {@code pollInterval}, growing to {@code maxPollInterval}; a run
 * waits at most {@code maxWait} for one result (the request stays stored and the next run collects it); the API
 * keeps results for {@code resultRetention}; at most {@code maxInFlight} submitted requests wait at once.
 */
@Validated
@ConfigurationProperties("segmind")
public record SegmindProperties(
        @DefaultValue("https://api.segmind.com") @NotNull URI baseUrl,
        @DefaultValue("4") @Min(1) int maxAttempts,
        @DefaultValue("2s") @NotNull Duration baseDelay,
        @DefaultValue("60s") @NotNull Duration maxDelay,
        @DefaultValue("10s") @NotNull Duration connectTimeout,
        @DefaultValue("5m") @NotNull Duration responseTimeout,
        @DefaultValue("10m") @NotNull Duration maxRateLimitWait,
        @DefaultValue("100") @Min(1) int maxRateLimitWaits,
        @DefaultValue("5s") @NotNull Duration pollInterval,
        @DefaultValue("30s") @NotNull Duration maxPollInterval,
        @DefaultValue("30m") @NotNull Duration maxWait,
        @DefaultValue("1h") @NotNull Duration resultRetention,
        @DefaultValue("100") @Min(1) int maxInFlight) {

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
