package io.klingbatch.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.schedule.ScheduledRuns.TickResult;
import io.klingbatch.segmind.SegmindSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code schedule --port}: Actuator's health and the Prometheus endpoint on the loopback, and what they say after a run. */
class MonitoringTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Machines.shared().port() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One sample's value in Prometheus' text format (0 when the series is not there yet). */
    private static double sample(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void healthIsUpWithTheDatabase() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        var body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(health.body());
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/env").statusCode()).as("nothing else is served").isEqualTo(404);
    }

    @Test
    void theMetricsEndpointCountsTheRunsVideosCreditsAndCallsInFlight() throws Exception {
        SegmindSimulator api = Machines.shared().api();
        Machines.csv(work.resolve("jobs/metrics.csv"), "metric", 1, 3);
        java.nio.file.Files.writeString(work.resolve("jobs/metrics.csv"), "metric4,a fourth metric row,7\n", java.nio.file.StandardOpenOption.APPEND);
        Path job = Machines.job(work.resolve("jobs/metrics.yml"), "metrics.csv", "0 0 5 * * *", "concurrency: 2");
        String before = get("/actuator/prometheus").body();

        api.hold();
        CompletableFuture<TickResult> tick;
        try {
            tick = CompletableFuture.supplyAsync(() -> Machines.shared().context().getBean(ScheduledRuns.class).tick(job, work, false, line -> { }));
            assertThat(api.awaitInFlight(2, Duration.ofSeconds(30))).isTrue();
            assertThat(sample(get("/actuator/prometheus").body(), "kling_calls_in_flight")).isEqualTo(2.0);
        } finally {
            api.release();
        }
        assertThat(tick.get().report().outcome().status()).isEqualTo(RunOutcome.Status.FINISHED);

        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        String after = response.body();
        assertThat(delta(before, after, "kling_videos_total{outcome=\"generated\"}")).isEqualTo(3.0);
        assertThat(delta(before, after, "kling_videos_total{outcome=\"rejected\"}")).isEqualTo(1.0);
        assertThat(after).contains("kling_videos_total{outcome=\"failed\"}", "kling_videos_total{outcome=\"uncertain\"}");
        assertThat(delta(before, after, "kling_credits_spent_total")).isCloseTo(1.32, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(delta(before, after, "kling_runs_total{outcome=\"finished\"}")).isEqualTo(1.0);
        assertThat(sample(after, "kling_calls_in_flight")).isZero();
        assertThat(after).contains("hikaricp_connections_max", "jvm_memory_used_bytes");
    }

    @Test
    void theLogFileIsRotatedByLogbacksPolicy() {
        Machines.shared();
        var logging = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        var file = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("FILE");
        assertThat(file).isInstanceOf(ch.qos.logback.core.rolling.RollingFileAppender.class);
        var policy = ((ch.qos.logback.core.rolling.RollingFileAppender<?>) file).getRollingPolicy();
        assertThat(policy).isInstanceOf(ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy.class);
        assertThat(((ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy<?>) policy).getMaxHistory()).as("days kept").isEqualTo(30);
        assertThat(((ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy<?>) policy).getFileNamePattern()).endsWith(".%d{yyyy-MM-dd}.%i.gz");
    }

    private static double delta(String before, String after, String series) {
        return sample(after, series) - sample(before, series);
    }
}
