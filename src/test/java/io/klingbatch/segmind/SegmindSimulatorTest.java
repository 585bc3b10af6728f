package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's test hooks: a fixed key, billing per prompt, held answers, credits and latency changed at runtime. */
class SegmindSimulatorTest {

    private static final String KEY = "test-key-123";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SegmindSimulator simulator;

    @AfterEach
    void close() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void acceptsTheKeyTheCallerChose() throws Exception {
        simulator = SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("3")).start();

        assertThat(simulator.apiKey()).isEqualTo(KEY);
        HttpResponse<String> credits = http.send(get("/v1/get-user-credits", KEY), HttpResponse.BodyHandlers.ofString());
        assertThat(credits.statusCode()).isEqualTo(200);
        assertThat(credits.body()).contains("\"credits\":3");
        assertThat(http.send(get("/v1/get-user-credits", "other"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(generate("a red fox", "other").statusCode()).isEqualTo(401);
        assertThat(simulator.paid()).isZero();
    }

    @Test
    void theOldConstructorsStillMakeUpAKey() throws Exception {
        simulator = new SegmindSimulator(new BigDecimal("1"), Duration.ZERO, 0);

        assertThat(simulator.apiKey()).startsWith("sim-");
        assertThat(generate("a red fox", simulator.apiKey()).statusCode()).isEqualTo(200);
        assertThat(simulator.generations()).isEqualTo(1);
        assertThat(simulator.paidFor("red fox")).isEqualTo(1);
    }

    @Test
    void countsWhatWasBilledPerPrompt() throws Exception {
        simulator = SegmindSimulator.builder().apiKey(KEY).credits(new BigDecimal("3.52")).start();

        assertThat(generate("a red fox", KEY).statusCode()).isEqualTo(200);
        assertThat(generate("a red fox", KEY).statusCode()).isEqualTo(200);
        assertThat(generate("a blue whale", KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> submitted = http.send(post(SegmindClient.SUBMIT_PATH, KEY, "a green frog"), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).isEqualTo(200);
        // out of credits: refused, so not billed
        assertThat(generate("a red fox", KEY).statusCode()).isEqualTo(406);

        assertThat(simulator.paidFor("red fox")).isEqualTo(2);
        assertThat(simulator.paidFor("whale")).isEqualTo(1);
        assertThat(simulator.paidFor("green frog")).isEqualTo(1);
        assertThat(simulator.paidFor("purple")).isZero();
        assertThat(simulator.paid()).isEqualTo(4);
        assertThat(simulator.billedPrompts()).containsExactly("a red fox", "a red fox", "a blue whale", "a green frog");
        assertThat(simulator.remainingCredits()).isEqualByComparingTo("0");
    }

    @Test
    void holdsAnswersUntilReleased() throws Exception {
        simulator = SegmindSimulator.builder().apiKey(KEY).start();
        simulator.hold();

        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(post(SegmindClient.GENERATE_PATH, KEY, "a red fox"), HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> second = http.sendAsync(post(SegmindClient.GENERATE_PATH, KEY, "a blue whale"), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(simulator.awaitInFlight(2, WAIT)).isTrue();
        assertThat(simulator.awaitPaid(2, WAIT)).isTrue();
        assertThat(simulator.awaitPaid("whale", 1, WAIT)).isTrue();
        assertThat(simulator.inFlight()).isEqualTo(2);
        assertThat(simulator.paidFor("red fox")).isEqualTo(1);
        assertThat(simulator.generations()).isZero();
        assertThat(first).isNotDone();
        assertThat(simulator.awaitInFlight(3, Duration.ofMillis(50))).isFalse();

        simulator.release();

        HttpResponse<byte[]> answer = first.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-cost")).contains("0.88");
        assertThat(new String(answer.body(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(second.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(simulator.generations()).isEqualTo(2);
        long deadline = System.nanoTime() + WAIT.toNanos(); // a call leaves the count just after its answer is written
        while (simulator.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(simulator.inFlight()).isZero();
    }

    @Test
    void aHeldCallWhoseClientLeftWasStillPaidFor() throws Exception {
        simulator = SegmindSimulator.builder().apiKey(KEY).start();
        simulator.hold();
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(post(SegmindClient.GENERATE_PATH, KEY, "a red fox"), HttpResponse.BodyHandlers.ofString());
        assertThat(simulator.awaitInFlight(1, WAIT)).isTrue();

        call.cancel(true);
        simulator.close(); // lets the held answer go; its client is gone

        assertThat(simulator.paidFor("red fox")).isEqualTo(1);
    }

    @Test
    void creditsAndLatencyChangeAtRuntime() throws Exception {
        simulator = SegmindSimulator.builder().apiKey(KEY).credits(BigDecimal.ONE).start();

        simulator.setCredits(BigDecimal.ZERO);
        assertThat(generate("a red fox", KEY).statusCode()).isEqualTo(406);
        simulator.topUp(BigDecimal.ONE);
        simulator.setLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(generate("a red fox", KEY).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(simulator.paidFor("red fox")).isEqualTo(1);
    }

    private HttpResponse<String> generate(String prompt, String key) throws Exception {
        return http.send(post(SegmindClient.GENERATE_PATH, key, prompt), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest post(String path, String key, String prompt) {
        return HttpRequest.newBuilder(uri(path))
                .header("x-api-key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"duration\":\"10\"}"))
                .build();
    }

    private HttpRequest get(String path, String key) {
        return HttpRequest.newBuilder(uri(path)).header("x-api-key", key).GET().build();
    }

    private URI uri(String path) {
        return URI.create(simulator.baseUrl() + path);
    }
}
