package io.klingbatch.schedule;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.schedule.ScheduledRuns.TickResult;
import io.klingbatch.segmind.SegmindSimulator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A job file's {@code notify: webhook-url:}: the JSON summary a run's end posts, retries, and a webhook that fails. */
class NotifyTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    static SegmindSimulator api;
    static ConfigurableApplicationContext machine;
    static WireMockServer hooks;

    @BeforeAll
    static void start() {
        hooks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hooks.start();
        api = Machines.shared().api();
        machine = Machines.shared().context();
    }

    @AfterAll
    static void stop() {
        hooks.stop();
    }

    @BeforeEach
    void reset() {
        hooks.resetAll();
    }

    private Path job(String tag, int rows, String... more) throws Exception {
        Machines.csv(work.resolve("jobs/" + tag + ".csv"), tag, 1, rows);
        String[] lines = new String[more.length + 2];
        lines[0] = "notify:";
        lines[1] = "  webhook-url: " + hooks.baseUrl() + "/hooks/T000/secret-token";
        System.arraycopy(more, 0, lines, 2, more.length);
        return Machines.job(work.resolve("jobs/" + tag + ".yml"), tag + ".csv", "0 0 4 * * *", lines);
    }

    private TickResult tick(Path job) {
        return machine.getBean(ScheduledRuns.class).tick(job, work, false, line -> { });
    }

    private List<JsonNode> bodies() {
        return hooks.getAllServeEvents().stream().map(event -> JSON.readTree(event.getRequest().getBodyAsString())).toList();
    }

    @Test
    void aRunThatEndsPostsItsSummary() throws Exception {
        hooks.stubFor(post(urlEqualTo("/hooks/T000/secret-token")).willReturn(aResponse().withStatus(200)));
        Path job = job("hooked", 3, "concurrency: 1");
        Instant now = KlingTestConfiguration.TIME.instant();

        TickResult result = tick(job);

        assertThat(result.report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
        hooks.verify(1, postRequestedFor(urlEqualTo("/hooks/T000/secret-token")));
        assertThat(hooks.getAllServeEvents().get(0).getRequest().getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = bodies().get(0);
        assertThat(body.path("campaign").asString()).isEqualTo("hooked");
        assertThat(body.path("jobFile").asString()).isEqualTo(job.toString());
        assertThat(body.path("trigger").asString()).isEqualTo("schedule");
        assertThat(body.path("status").asString()).isEqualTo("completed");
        assertThat(body.path("exitCode").asInt()).isZero();
        assertThat(body.path("stopReason").isNull()).isTrue();
        assertThat(body.path("counts").toString()).isEqualTo("{\"rows\":3,\"generated\":3,\"rejected\":0,\"failed\":0,\"uncertain\":0,\"pending\":0}");
        assertThat(body.path("credits").path("spent").decimalValue()).isEqualByComparingTo("1.32");
        assertThat(body.path("credits").path("spentInAll").decimalValue()).isEqualByComparingTo("1.32");
        assertThat(body.path("credits").path("left").decimalValue()).isEqualByComparingTo(api.remainingCredits());
        assertThat(body.path("credits").path("spent").toString()).as("a plain JSON number").isEqualTo("1.32");
        assertThat(body.path("manifest").asString()).isEqualTo(work.resolve("out/hooked/manifest.csv").toString());
        assertThat(body.path("startedAt").asString()).isEqualTo(now.toString());
        assertThat(body.path("endedAt").asString()).isEqualTo(now.toString());
        assertThat(body.path("host").asString()).isNotBlank();
        assertThat(body.path("text").asString()).startsWith("campaign hooked: run ended: completed (exit 0); 3 of 3 rows generated");

        assertThat(tick(job).report().outcome().launched()).isFalse();
        hooks.verify(1, postRequestedFor(urlEqualTo("/hooks/T000/secret-token"))); // a tick with nothing to do is no run: no notification
    }

    @Test
    void aRunThatStopsPostsWhy() throws Exception {
        hooks.stubFor(post(urlEqualTo("/hooks/T000/secret-token")).willReturn(aResponse().withStatus(204)));
        Path job = job("short", 3, "concurrency: 1");
        api.setCredits(new BigDecimal("0.50"));
        try {
            assertThat(tick(job).report().outcome().status()).isEqualTo(RunOutcome.Status.STOPPED);
        } finally {
            api.setCredits(new BigDecimal("100"));
        }
        JsonNode body = bodies().get(0);
        assertThat(body.path("status").asString()).isEqualTo("stopped");
        assertThat(body.path("exitCode").asInt()).isEqualTo(3);
        assertThat(body.path("stopReason").asString()).isEqualTo("credits");
        assertThat(body.path("message").asString()).contains("HTTP 406");
        assertThat(body.path("counts").path("generated").asInt()).isEqualTo(1);
        assertThat(body.path("counts").path("pending").asInt()).isEqualTo(2);
        assertThat(body.path("credits").path("left").decimalValue()).isEqualByComparingTo("0.06");
    }

    @Test
    void aWebhookThatIsDownForAMomentIsTriedAgain() {
        String url = "/hooks/T000/secret-token";
        hooks.stubFor(post(urlEqualTo(url)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("back"));
        hooks.stubFor(post(urlEqualTo(url)).inScenario("flaky").whenScenarioStateIs("back")
                .willReturn(aResponse().withStatus(200)));

        assertThat(notifier().send(java.net.URI.create(hooks.baseUrl() + url), "{\"campaign\":\"flaky\"}")).isTrue();
        hooks.verify(2, postRequestedFor(urlEqualTo(url)));
    }

    @Test
    void aWebhookThatDoesNotAnswerIsGivenUpAfterItsTimeouts() throws Exception {
        String url = "/hooks/T000/secret-token";
        hooks.stubFor(post(urlEqualTo(url)).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));

        WebhookNotifier notifier = new WebhookNotifier(new NotifyProperties(3, Duration.ofMillis(500), Duration.ofMillis(10)), duration -> { });
        long started = System.nanoTime();
        try {
            assertThat(notifier.send(java.net.URI.create(hooks.baseUrl() + url), "{\"campaign\":\"slow\"}")).isFalse();
        } finally {
            notifier.destroy();
        }
        hooks.verify(3, postRequestedFor(urlEqualTo(url)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("three tries of 500 ms, not of 5 s").isLessThan(Duration.ofSeconds(4));
    }

    private static WebhookNotifier notifier() {
        return machine.getBean(WebhookNotifier.class);
    }

    @Test
    void aWebhookThatFailsIsLoggedAndNeverFailsTheRun() throws Exception {
        hooks.stubFor(post(urlEqualTo("/hooks/T000/secret-token")).willReturn(aResponse().withStatus(500)));
        Path job = job("broken", 2);
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(WebhookNotifier.class);
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        logger.addAppender(logged);
        TickResult result;
        try {
            result = tick(job);
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(result.tick()).isEqualTo(ScheduledRuns.Tick.RAN);
        assertThat(result.report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(result.report().outcome().exitCode()).isZero();
        hooks.verify(3, postRequestedFor(urlEqualTo("/hooks/T000/secret-token")));

        hooks.resetAll();
        hooks.stubFor(post(urlEqualTo("/hooks/T000/secret-token")).willReturn(aResponse().withStatus(404)));
        Machines.csv(work.resolve("jobs/broken.csv"), "broken", 3, 3);
        assertThat(tick(job).report().outcome().status()).isEqualTo(RunOutcome.Status.COMPLETED);
        hooks.verify(1, postRequestedFor(urlEqualTo("/hooks/T000/secret-token"))); // a 404 is not tried again

        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .contains("could not notify " + hooks.baseUrl() + " after 3 tries (HTTP 500); the run's outcome is unchanged")
                .noneMatch(line -> line.contains("secret-token"));
    }
}
