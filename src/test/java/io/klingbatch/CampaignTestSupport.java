package io.klingbatch;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.CheckedRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the job and command-line tests: the real application against WireMock, with a fake clock and sleeper,
 * an in-memory database and a fresh folder per test (its own campaign, its own ledger key).
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(KlingTestConfiguration.class)
public abstract class CampaignTestSupport {

    @TempDir
    protected Path folder;

    @Autowired
    protected CampaignLauncher launcher;

    @Autowired
    protected CampaignChecks checks;

    @Autowired
    protected org.springframework.jdbc.core.JdbcTemplate jdbcTemplate;

    @DynamicPropertySource
    static void api(DynamicPropertyRegistry registry) {
        registry.add("segmind.base-url", WireMockApi::baseUrl);
    }

    /**
     * Each test starts with an empty ledger: videos are known by their request, whichever campaign paid for them, so a
     * prompt another test used would otherwise be copied instead of paid.
     */
    @BeforeEach
    void resetApi() {
        WireMockApi.SERVER.resetAll();
        KlingTestConfiguration.TIME.clearSleeps();
        jdbcTemplate.update("DELETE FROM kb_video");
        jdbcTemplate.update("DELETE FROM INT_LOCK");
    }

    /** The ledger's name for the API the tests pay: WireMock's base URL. */
    protected static String endpoint() {
        return io.klingbatch.ledger.Endpoint.of(java.net.URI.create(WireMockApi.baseUrl())).id();
    }

    /** The ledger key of row {@code id}'s video (take 1). */
    protected io.klingbatch.ledger.VideoKey keyOf(Campaign campaign, String id) {
        return new io.klingbatch.ledger.VideoKey(endpoint(), fingerprintOf(campaign, id), 1);
    }

    /** A claim as a process that has since died would have left it (its holder holds no lease). */
    protected static io.klingbatch.ledger.Claim deadRunClaim(String rowId) {
        return new io.klingbatch.ledger.Claim("10", "pro", null, "campaign", rowId, null, java.util.UUID.randomUUID().toString());
    }

    /** Writes {@code campaign.csv} in the test's folder. */
    protected Path csv(String content) throws IOException {
        return write("campaign.csv", content);
    }

    protected Path write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    protected Campaign campaign(Path file) {
        return new CampaignLoader(folder).load(file, null);
    }

    protected RunResult run(Path file) throws Exception {
        return run(file, false);
    }

    /** One worker, so the order of calls is the order of rows; the concurrency tests say how many they want. */
    protected RunResult run(Path file, boolean resendUncertain) throws Exception {
        return launcher.run(new CampaignRun(campaign(file), false, resendUncertain, 1, 0));
    }

    protected RunResult run(Path file, int concurrency) throws Exception {
        return launcher.run(new CampaignRun(campaign(file), false, false, concurrency, 0));
    }

    protected Path output(Path file) {
        return campaign(file).output();
    }

    /** The request fingerprint the ledger keys row {@code id} of a campaign by. */
    protected String fingerprintOf(Campaign campaign, String id) {
        List<String> found = new java.util.ArrayList<>();
        checks.scan(campaign, row -> {
            if (row instanceof CheckedRow.Accepted accepted && accepted.row().id().equals(id)) {
                found.add(accepted.request().fingerprint());
            }
        });
        return found.get(0);
    }

    protected List<String> manifest(Path file) throws IOException {
        return Files.readAllLines(output(file).resolve("manifest.csv"));
    }
}
