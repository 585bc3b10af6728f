package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against {@link SegmindSimulator} on the loopback; nothing sleeps. */
class SegmindClientTest {

    private static final VideoSink<byte[]> BYTES = (body, contentType) -> body.readAllBytes();

    private SegmindSimulator simulator;
    private final List<SegmindClient> clients = new ArrayList<>();
    private final List<Duration> backoffs = new ArrayList<>();

    @BeforeEach
    void startSimulator() {
        simulator = new SegmindSimulator(new BigDecimal("1"), Duration.ZERO, 0);
    }

    @AfterEach
    void stop() {
        clients.forEach(SegmindClient::close);
        simulator.close();
    }

    private SegmindClient client(URI baseUrl, String apiKey) {
        ClientSettings settings = new ClientSettings(baseUrl, 3, Duration.ofMillis(1), Duration.ofMillis(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), 2, Duration.ofSeconds(1), 5);
        SegmindClient client = new SegmindClient(settings, apiKey, new RateGate(Clock.systemUTC(), d -> { }, 0), backoffs::add);
        clients.add(client);
        return client;
    }

    @Test
    void successReturnsTheVideoAndTheBilling() {
        Generated<byte[]> generated = client(simulator.baseUrl(), simulator.apiKey()).generate(KlingRequestTest.seed("10", null), BYTES);

        byte[] video = generated.video();
        assertThat(video.length).isGreaterThan(8);
        assertThat(new String(Arrays.copyOfRange(video, 4, 8), StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(generated.billing().cost()).isEqualByComparingTo("0.88");
        assertThat(generated.billing().remainingCredits()).isEqualByComparingTo("0.12");
        assertThat(generated.billing().requestId()).isNotBlank();
        assertThat(generated.attempts()).isEqualTo(1);
        assertThat(simulator.generations()).isEqualTo(1);
    }

    @Test
    void sinkReceivesTheContentType() {
        Generated<String> generated = client(simulator.baseUrl(), simulator.apiKey())
                .generate(KlingRequestTest.seed("5", null), (body, contentType) -> contentType);

        assertThat(generated.video()).isEqualTo("video/mp4");
        assertThat(generated.billing().cost()).isEqualByComparingTo("0.44");
    }

    @Test
    void secondCallWithoutEnoughCreditsIsCreditsExhaustedAndNotRetried() {
        SegmindClient client = client(simulator.baseUrl(), simulator.apiKey());
        client.generate(KlingRequestTest.seed("10", null), BYTES);

        CreditsExhaustedException error = catchThrowableOfType(CreditsExhaustedException.class,
                () -> client.generate(KlingRequestTest.seed("10", null), BYTES));

        assertThat(error).hasMessageContaining("Insufficient credits");
        assertThat(error.status()).isEqualTo(406);
        assertThat(error.attempts()).isEqualTo(1);
        assertThat(backoffs).isEmpty();
        assertThat(simulator.remainingCredits()).isEqualByComparingTo("0.12");
    }

    @Test
    void wrongKeyIsRefusedWithoutEchoingTheKey() {
        SegmindClient client = client(simulator.baseUrl(), "wrong-key-123");

        assertThatThrownBy(() -> client.generate(KlingRequestTest.seed("10", null), BYTES))
                .isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining("SEGMIND_API_KEY")
                .hasMessageNotContaining("wrong-key-123");
        assertThat(simulator.generations()).isZero();
        assertThat(backoffs).isEmpty();
    }

    @Test
    void closedPortIsRetriedThenTheApiIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SegmindClient client = client(URI.create("http://127.0.0.1:" + port), "any-key");

        ApiUnreachableException error = catchThrowableOfType(ApiUnreachableException.class,
                () -> client.generate(KlingRequestTest.seed("10", null), BYTES));

        assertThat(error).hasMessageStartingWith("could not reach 127.0.0.1 in 3 attempts").hasCauseInstanceOf(RetryableException.class);
        assertThat(error.attempts()).isEqualTo(3);
        assertThat(backoffs).hasSize(2).allSatisfy(delay -> assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(5)));
    }
}
