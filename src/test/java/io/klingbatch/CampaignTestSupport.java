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

    @DynamicPropertySource
    static void api(DynamicPropertyRegistry registry) {
        registry.add("segmind.base-url", WireMockApi::baseUrl);
    }

    @BeforeEach
    void resetApi() {
        WireMockApi.SERVER.resetAll();
        KlingTestConfiguration.TIME.clearSleeps();
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
