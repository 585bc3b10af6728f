package io.klingbatch.cli;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;

import io.klingbatch.FactsApplication;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.Job;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code status}, {@code validate} and {@code report} start the small {@link FactsApplication}: it must say exactly what
 * the full application says, and hand a job repository that is new or behind to the full one, which migrates it.
 */
class FactsApplicationTest extends CliTestSupport {

    @TempDir
    Path scratch;

    @Test
    void theSmallApplicationSaysWhatTheFullOneSays() throws Exception {
        SERVER.stubFor(generate("first reef").willReturn(video("req-1", "0.5")));
        SERVER.stubFor(generate("second reef").willReturn(error(406, "Insufficient credits")));
        csv("id,prompt,duration\na,first reef,5\nb,second reef,10\nc,,5\nd,first reef,5\n");
        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(3);

        for (String[] command : new String[][] {{"status", "campaign.csv"}, {"status", "campaign.csv", "--json"}, {"validate", "campaign.csv"}}) {
            String small = said(command, true);
            String full = said(command, false);
            assertThat(small).as(String.join(" ", command)).isEqualTo(full).isNotBlank();
        }
        assertThat(said(new String[] {"status", "campaign.csv"}, true)).contains("generated 2, rejected 1", "credits spent 0.5",
                "last run: STOPPED", "next: stopped: out of credits");
        assertThat(facts().getBeanNamesForType(Job.class)).as("nothing of running a job in the small application").isEmpty();
    }

    @Test
    void aNewJobRepositoryIsHandedToTheFullApplicationWhichMigratesIt() {
        Map<String, Object> settings = Map.of(
                "spring.datasource.url", "jdbc:h2:file:" + scratch.resolve("db/kling-batch"),
                "kling.home", scratch.resolve("db").toString(),
                "logging.file.name", scratch.resolve("kling-batch.log").toString());
        try (ConfigurableApplicationContext first = KlingBatchCli.startFor(new CliContext.Startup(settings, CliContext.Shape.FACTS))) {
            assertThat(first.getBeanNamesForType(Job.class)).as("the full application, which migrated the new database").isNotEmpty();
            assertThat(FactsApplication.current(first)).isTrue();
        }
        try (ConfigurableApplicationContext second = KlingBatchCli.startFor(new CliContext.Startup(settings, CliContext.Shape.FACTS))) {
            assertThat(second.getBeanNamesForType(Job.class)).as("the small application, on a current job repository").isEmpty();
        }
    }

    @Test
    void anUnusableSettingStopsEitherApplicationAsAConfigurationError() {
        for (CliContext.Shape shape : CliContext.Shape.values()) {
            Map<String, Object> settings = new java.util.HashMap<>(Map.of(
                    "spring.datasource.url", "jdbc:h2:mem:unusable-setting-" + shape,
                    "kling.job.chunk-size", "0",
                    "logging.file.name", scratch.resolve("kling-batch.log").toString()));
            if (shape == CliContext.Shape.FACTS_READ_ONLY) {
                settings.put("spring.main.lazy-initialization", "true"); // as validate starts it (KlingBatchCli.readOnlySettings)
            }
            Exception bound = catchException(() -> KlingBatchCli.startFor(new CliContext.Startup(settings, shape)).close());
            assertThat(bound).as(shape.name()).isNotNull();
            StringWriter said = new StringWriter();
            PrintWriter writer = new PrintWriter(said, true);
            assertThat(KlingBatchCli.failure(new Console(writer, writer), bound)).as(shape.name()).isEqualTo(2);
            assertThat(said.toString()).contains("Setting not usable: kling.job.chunk-size must be at least 1, got 0.");
        }
    }

    @Test
    void anUnreachableJobRepositoryIsExitThree() {
        Map<String, Object> settings = Map.of(
                "spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/nothing-listens-here",
                "spring.datasource.hikari.connection-timeout", "1000",
                "logging.file.name", scratch.resolve("kling-batch.log").toString());
        assertThatThrownBy(() -> KlingBatchCli.startFor(new CliContext.Startup(settings, CliContext.Shape.FACTS)).close())
                .satisfies(e -> assertThat(KlingBatchCli.unreachableDatabase(e)).as("exit 3, the job repository cannot be reached").isTrue());
    }

    /** What a command printed, run in the small application or the full one. */
    private String said(String[] command, boolean small) {
        StringWriter printed = new StringWriter();
        PrintWriter writer = new PrintWriter(printed, true);
        int exit = small ? KlingBatchCli.execute(command, writer, writer, folder, startup -> facts(), false)
                : KlingBatchCli.execute(command, writer, writer, folder, () -> context, false);
        return exit + "\n" + printed;
    }
}
