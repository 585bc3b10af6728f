package io.klingbatch.cli;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.FactsApplication;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.WireMockApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The command line as scripts see it, against the test application. As with {@code java -jar}, each command runs in the
 * application of the shape it asks for: {@code status}, {@code validate} and {@code report} in the small
 * {@link FactsApplication} (on the same in-memory job repository, the same fake API and clock), everything else in the
 * full one. So every test of those commands also proves that the small application answers as the full one would.
 */
abstract class CliTestSupport extends CampaignTestSupport {

    private static ConfigurableApplicationContext facts;

    @Autowired
    ConfigurableApplicationContext context;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @AfterEach
    void restoreKey() {
        KlingTestConfiguration.KEY.set(KlingTestConfiguration.TEST_KEY);
    }

    int cli(String... args) {
        return KlingBatchCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), folder, this::contextFor, false);
    }

    private ConfigurableApplicationContext contextFor(CliContext.Startup startup) {
        if (startup.shape() == CliContext.Shape.FULL) {
            return context;
        }
        return facts();
    }

    /** One small application for all tests (closed when the JVM ends), as the full one is cached by Spring's test support. */
    static synchronized ConfigurableApplicationContext facts() {
        if (facts == null) {
            facts = new SpringApplicationBuilder(FactsApplication.class, KlingTestConfiguration.class)
                    .profiles("test")
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .run("--segmind.base-url=" + WireMockApi.baseUrl()); // an argument: it must win over application.yml
        }
        return facts;
    }
}
