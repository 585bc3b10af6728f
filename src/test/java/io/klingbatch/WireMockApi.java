package io.klingbatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One WireMock server standing in for Segmind, shared by every test of the JVM (so the Spring test context,
 * which holds its URL, is shared too). Tests reset it before each test.
 */
public final class WireMockApi {

    public static final String GENERATE = "/v1/kling-2.5-turbo";
    public static final WireMockServer SERVER = start();
    public static final byte[] VIDEO = sampleVideo();

    private WireMockApi() {
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    public static String baseUrl() {
        return SERVER.baseUrl();
    }

    /** A POST whose body contains the fragment (each test row has a unique word in its prompt). */
    public static MappingBuilder generate(String promptFragment) {
        return post(urlEqualTo(GENERATE)).withRequestBody(containing(promptFragment));
    }

    public static ResponseDefinitionBuilder video(String requestId) {
        return video(requestId, "0.88");
    }

    public static ResponseDefinitionBuilder video(String requestId, String cost) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4")
                .withHeader("x-cost", cost)
                .withHeader("x-remaining-credits", "42.5")
                .withHeader("x-request-id", requestId)
                .withBody(VIDEO);
    }

    /**
     * A paid answer whose video is different on every call (an MP4 signature, then random text), so a test can tell
     * which video ended up where; the same request id scheme and billing headers as {@link #video}.
     */
    public static ResponseDefinitionBuilder uniqueVideo() {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4")
                .withHeader("x-cost", "0.88")
                .withHeader("x-remaining-credits", "42.5")
                .withHeader("x-request-id", "req-{{randomValue length=12 type='ALPHANUMERIC'}}")
                .withBody("0000ftypisom-{{randomValue length=32 type='ALPHANUMERIC'}}")
                .withTransformers("response-template");
    }

    public static ResponseDefinitionBuilder error(int status, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"" + message + "\"}");
    }

    /** Every POST that reached the API with this fragment in its body. */
    public static List<ServeEvent> calls(String promptFragment) {
        return SERVER.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals(GENERATE))
                .filter(event -> event.getRequest().getBodyAsString().contains(promptFragment))
                .toList();
    }

    /** Calls the API answered with 200: the ones that were billed. */
    public static long paidCalls(String promptFragment) {
        return calls(promptFragment).stream().filter(event -> event.getResponse().getStatus() == 200).count();
    }

    public static int allCalls() {
        return (int) SERVER.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().equals(GENERATE)).count();
    }

    private static byte[] sampleVideo() {
        try (InputStream in = WireMockApi.class.getResourceAsStream("/simulator/sample.mp4")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
