package io.klingbatch.job;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.KlingTestConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The API key travels in a header and nowhere else: not the job repository, the ledger, the manifest or the log. */
class SecretsTest extends CampaignTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theApiKeyIsStoredNowhere() throws Exception {
        SERVER.stubFor(generate("quiet").willReturn(video("req-quiet")));
        SERVER.stubFor(generate("loud").willReturn(error(406, "Insufficient credits")));
        Path csv = csv("prompt\nquiet harbour\nloud harbour\n");
        run(csv);
        SERVER.stubFor(generate("loud").willReturn(video("req-loud")));
        run(csv);

        List<String> tables = jdbc.queryForList(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'", String.class);
        assertThat(tables).contains("BATCH_JOB_EXECUTION_PARAMS", "BATCH_STEP_EXECUTION_CONTEXT", "KB_VIDEO");
        for (String table : tables) {
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM \"" + table + "\"")) {
                assertThat(String.valueOf(row.values())).as(table).doesNotContain(KlingTestConfiguration.TEST_KEY);
            }
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(KlingTestConfiguration.TEST_KEY);
            }
        }
        Path log = Path.of("target/test.log"); // logging.file.name of the test profile
        assertThat(log).as("the test profile's log file").isRegularFile();
        String logged = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        // the log holds these runs (a job launch names its CSV, and this test's folder is new), so it was really checked
        assertThat(logged.contains(csv.toString())).as("%s logs this test's runs (of %s)", log, csv).isTrue();
        assertThat(logged).doesNotContain(KlingTestConfiguration.TEST_KEY);
    }
}
