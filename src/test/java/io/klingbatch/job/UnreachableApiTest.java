package io.klingbatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.StopReason;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.output.VideoStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Nothing listens at the API's address: the run stops, restartable, instead of failing every row one by one.
 * (Not a CampaignTestSupport: its API address is WireMock's, and this test needs one where nothing answers.)
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(KlingTestConfiguration.class)
class UnreachableApiTest {

    @TempDir
    Path folder;

    @Autowired
    CampaignLauncher launcher;

    @DynamicPropertySource
    static void closedPort(DynamicPropertyRegistry registry) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            registry.add("segmind.base-url", () -> "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theRunStopsAtTheFirstRowAndNothingIsMarkedFailed() throws Exception {
        Path csv = Files.writeString(folder.resolve("campaign.csv"), "prompt\nfirst bay\nsecond bay\nthird bay\n");

        var result = launcher.run(new CampaignRun(new CampaignLoader(folder).load(csv, null), false, false, 1, 0));

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(StopReason.stored(result.execution()).kind()).isEqualTo(StopReason.Kind.UNREACHABLE);
        assertThat(StopReason.stored(result.execution()).message()).startsWith("could not reach 127.0.0.1 in 3 attempts");
        assertThat(result.summary().count(VideoStatus.PENDING)).isEqualTo(3);
        assertThat(result.summary().count(VideoStatus.FAILED)).isZero();
    }
}
