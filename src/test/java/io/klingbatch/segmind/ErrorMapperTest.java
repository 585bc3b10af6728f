package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorMapperTest {

    private static final String URL = "https://api.segmind.com/v1/kling-2.5-turbo";

    private static SegmindException map(int status, String body) {
        return ErrorMapper.fromResponse(status, body, null, URL);
    }

    @Test
    void unauthorizedIsRefusedAndPointsAtTheKeyVariable() {
        SegmindException error = map(401, "{\"error\":\"Invalid API key\"}");

        assertThat(error).isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining("SEGMIND_API_KEY")
                .hasMessageContaining("Invalid API key");
        assertThat(error.status()).isEqualTo(401);
    }

    @Test
    void forbiddenIsRefused() {
        assertThat(map(403, "")).isInstanceOf(ApiRefusedException.class).hasMessageContaining("HTTP 403");
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405})
    void wrongEndpointIsRefusedAndNamesTheUrl(int status) {
        SegmindException error = map(status, "{\"error\":\"Not Found\"}");

        assertThat(error).isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining(URL)
                .hasMessageContaining("HTTP " + status);
        assertThat(error.status()).isEqualTo(status);
    }

    @Test
    void htmlBodyOf405LosesItsTags() {
        String html = """
                <html>
                <head><title>405 Not Allowed</title></head>
                <body><center><h1>405 Not Allowed</h1></center><hr><center>nginx</center></body>
                </html>
                """;

        SegmindException error = map(405, html);

        assertThat(error).isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining("405 Not Allowed")
                .hasMessageContaining("nginx");
        assertThat(error.getMessage()).doesNotContain("<", ">").doesNotContain("\n");
    }

    @Test
    void goneIsRefused() {
        assertThat(map(410, "{\"message\":\"model retired\"}")).isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining("retired (HTTP 410)")
                .hasMessageContaining("model retired");
    }

    @Test
    void notAcceptableWithInsufficientCreditsIsCreditsExhausted() {
        assertThat(map(406, "{\"error\":\"Insufficient credits\"}")).isInstanceOf(CreditsExhaustedException.class)
                .hasMessageContaining("Insufficient credits");
    }

    @Test
    void notAcceptableForContentTypeIsRefused() {
        assertThat(map(406, "{\"error\":\"Content-Type must be application/json\"}")).isInstanceOf(ApiRefusedException.class)
                .hasMessageContaining("Content-Type");
    }

    @Test
    void notAcceptableWithEmptyBodyIsCreditsExhausted() {
        assertThat(map(406, "")).isInstanceOf(CreditsExhaustedException.class)
                .hasMessage("out of credits or over the spend limit (HTTP 406)");
        assertThat(map(406, null)).isInstanceOf(CreditsExhaustedException.class);
    }

    @Test
    void tooManyRequestsIsRateLimitedWithResetTime() {
        SegmindException error = ErrorMapper.fromResponse(429, "{\"error\":\"slow down\"}", "2026-11-25T13:00:00Z", URL);

        assertThat(error).isInstanceOfSatisfying(RateLimitedException.class,
                limited -> assertThat(limited.resetAt()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z")));
        assertThat(error.status()).isEqualTo(429);
    }

    @Test
    void tooManyRequestsWithoutResetHeaderHasNoResetTime() {
        assertThat(map(429, "")).isInstanceOfSatisfying(RateLimitedException.class,
                limited -> assertThat(limited.resetAt()).isNull());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreRetryable(int status) {
        SegmindException error = map(status, "upstream hiccup");

        assertThat(error).isInstanceOf(RetryableException.class).hasMessageContaining("HTTP " + status);
        assertThat(error.status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 413, 422})
    void otherClientErrorsFailTheRowWithTheApiText(int status) {
        SegmindException error = map(status, "{\"error\":\"prompt is too long\"}");

        assertThat(error).isInstanceOf(RowFailedException.class)
                .hasMessage("the API answered HTTP " + status + ": prompt is too long");
    }

    @Test
    void nonJsonBodyIsUsedAsPlainText() {
        assertThat(map(400, "Bad things happened")).hasMessage("the API answered HTTP 400: Bad things happened");
    }

    @Test
    void brokenJsonBodyIsUsedAsPlainText() {
        assertThat(map(400, "{\"error\": ")).hasMessage("the API answered HTTP 400: {\"error\":");
    }

    @Test
    void emptyBodyGivesNoSuffix() {
        assertThat(map(422, "  ")).hasMessage("the API answered HTTP 422");
        assertThat(map(422, null)).hasMessage("the API answered HTTP 422");
    }

    @Test
    void detailFieldIsRead() {
        assertThat(ErrorMapper.apiError("{\"detail\":\"cfg_scale out of range\"}")).isEqualTo("cfg_scale out of range");
    }

    @Test
    void longBodiesAreTruncated() {
        assertThat(ErrorMapper.apiError("x".repeat(5_000))).hasSize(303).endsWith("...");
    }
}
