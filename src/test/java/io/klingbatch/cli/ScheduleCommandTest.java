package io.klingbatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.klingbatch.schedule.Machines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code schedule}'s refusals before it starts, and {@code run} telling a job file's webhook as {@code schedule} does. */
class ScheduleCommandTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return KlingBatchCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), work, () -> Machines.shared().context(), false);
    }

    @Test
    void aJobFileWithoutAScheduleIsAnErrorNamingIt() throws Exception {
        Machines.csv(work.resolve("jobs/nightly.csv"), "cli-nightly", 1, 1);
        Machines.job(work.resolve("jobs/nightly.yml"), "nightly.csv", "0 0 2 * * *");
        Machines.job(work.resolve("jobs/adhoc.yml"), "nightly.csv", null);

        assertThat(cli("schedule", "jobs/nightly.yml", "jobs/adhoc.yml")).isEqualTo(2);
        assertThat(err.toString()).contains("jobs/adhoc.yml: has no 'schedule:'").doesNotContain("nightly.yml:");

        assertThat(cli("schedule", "jobs/nightly.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("jobs/nightly.csv: 'schedule' takes job files");

        Files.writeString(work.resolve("jobs/typo.yml"), "input: nightly.csv\nschedule: \"0 0 25 * * *\"\n");
        assertThat(cli("schedule", "jobs/typo.yml")).isEqualTo(2);
        assertThat(err.toString()).contains("typo.yml: 'schedule' must be a cron expression with seconds");

        assertThat(cli("schedule", "jobs/nightly.yml", "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be from 1 to 65535");
        assertThat(Machines.shared().api().paidFor("cli-nightly")).isZero();
    }

    @Test
    void runTellsTheJobFilesWebhookToo() throws Exception {
        WireMockServer hooks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hooks.start();
        try {
            hooks.stubFor(post(urlEqualTo("/run-hook")).willReturn(aResponse().withStatus(200)));
            Machines.csv(work.resolve("jobs/once.csv"), "cli-once", 1, 2);
            Machines.job(work.resolve("jobs/once.yml"), "once.csv", null, "notify:", "  webhook-url: " + hooks.baseUrl() + "/run-hook");

            assertThat(cli("run", "jobs/once.yml")).isZero();

            assertThat(out.toString()).contains("Done: every row has its video.");
            hooks.verify(1, postRequestedFor(urlEqualTo("/run-hook")));
            JsonNode body = JsonMapper.builder().build().readTree(hooks.getAllServeEvents().get(0).getRequest().getBodyAsString());
            assertThat(body.path("trigger").asString()).isEqualTo("run");
            assertThat(body.path("status").asString()).isEqualTo("completed");
            assertThat(body.path("counts").path("generated").asInt()).isEqualTo(2);
        } finally {
            hooks.stop();
        }
    }
}
