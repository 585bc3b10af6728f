package io.klingbatch.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.klingbatch.WireMockApi.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.klingbatch.CampaignTestSupport;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.WireMockApi;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.StopReason;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.segmind.Submission;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;

/** v2: submit, store the request id, poll, download; and what a restart does with requests it finds stored. */
class V2GenerationTest extends CampaignTestSupport {

    static final String SUBMIT = "/v2/kling-2.5-turbo";

    @Autowired
    Ledger ledger;

    @Test
    void submitsPollsUntilCompletedAndDownloads() throws Exception {
        stubSubmit("sunrise", "req-sun");
        stubStatus("req-sun", "QUEUED", "PROCESSING", "COMPLETED");
        stubResult("req-sun");
        Path csv = csv("id,prompt,duration\ns,sunrise over dunes,5\n");

        var result = v2(csv, 2, null);

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(Files.readAllBytes(output(csv).resolve("s.mp4"))).isEqualTo(WireMockApi.VIDEO);
        assertThat(manifest(csv).get(1)).startsWith("s,1,GENERATED,s.mp4").contains(",0.44,9.56,req-sun,");
        SERVER.verify(1, postRequestedFor(urlEqualTo(SUBMIT)));
        assertThat(SERVER.findAll(WireMock.getRequestedFor(urlEqualTo("/v2/requests/req-sun/status")))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aFailedTaskAnsweredAs422FailsTheRowWithTheApiReason() throws Exception {
        stubSubmit("storm", "req-storm");
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-storm/status")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"FAILED\",\"error\":\"content policy violation\"}")));
        Path csv = csv("id,prompt\nx,storm at sea\n");

        var result = v2(csv, 1, null);

        assertThat(result.summary().count(VideoStatus.FAILED)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).startsWith("x,1,FAILED").contains("content policy violation");
    }

    @Test
    void aRequestStillRunningIsCollectedByTheNextRunNeverResubmitted() throws Exception {
        stubSubmit("glacier", "req-ice");
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-ice/status")).willReturn(okJson("{\"status\":\"PROCESSING\"}")));
        Path csv = csv("id,prompt\ng,glacier calving\n");

        var first = v2(csv, 1, null);

        assertThat(first.summary().count(VideoStatus.PENDING)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).startsWith("g,1,PENDING").contains("req-ice");

        stubStatus("req-ice", "COMPLETED");
        stubResult("req-ice");
        var second = v2(csv, 1, null);

        assertThat(second.summary().allGenerated()).isTrue();
        SERVER.verify(1, postRequestedFor(urlEqualTo(SUBMIT)));
    }

    @Test
    void aRequestStoredByAKilledRunIsPolledNotResent() throws Exception {
        Path csv = csv("id,prompt\nk,killed lighthouse\nn,new lighthouse\n");
        Campaign campaign = campaign(csv);
        VideoKey killed = keyOf(campaign, "k");
        ledger.claim(killed, deadRunClaim("k"), java.util.Optional.empty());
        ledger.submitted(killed, submission("req-killed"));
        stubStatus("req-killed", "COMPLETED");
        stubResult("req-killed");
        stubSubmit("new lighthouse", "req-new");
        stubStatus("req-new", "COMPLETED");
        stubResult("req-new");

        var result = v2(csv, 2, null);

        assertThat(result.summary().allGenerated()).isTrue();
        assertThat(WireMockApi.calls("killed lighthouse")).isEmpty();
        SERVER.verify(1, postRequestedFor(urlEqualTo(SUBMIT)));
    }

    @Test
    void anExpiredRequestIsUncertainWithThatReasonNotResent() throws Exception {
        Path csv = csv("id,prompt\ne,expired meadow\n");
        Campaign campaign = campaign(csv);
        VideoKey expired = keyOf(campaign, "e");
        ledger.claim(expired, deadRunClaim("e"), java.util.Optional.empty());
        ledger.submitted(expired, submission("req-old"));
        KlingTestConfiguration.TIME.advance(Duration.ofHours(2));
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-old/status")).willReturn(aResponse().withStatus(404)));

        var result = v2(csv, 1, null);

        assertThat(result.summary().count(VideoStatus.UNCERTAIN)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).startsWith("e,1,UNCERTAIN").contains("its result is gone");
        assertThat(WireMockApi.calls("expired meadow")).isEmpty();
    }

    @Test
    void aSubmitAnswerWithoutARequestIdIsUncertainNotAnEndlessPoll() throws Exception {
        SERVER.stubFor(post(urlEqualTo(SUBMIT)).willReturn(okJson("{\"status\":\"QUEUED\"}")));
        Path csv = csv("id,prompt\nq,quiet pond\n");

        var result = v2(csv, 1, null);

        assertThat(result.summary().count(VideoStatus.UNCERTAIN)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).contains("named no request id");
    }

    @Test
    void theBudgetStopsTheRunCountingCallsInFlightAndALargerOneContinues() throws Exception {
        SERVER.stubFor(WireMockApi.generate("budget").willReturn(WireMockApi.video("req", "0.44").withFixedDelay(100)));
        Path csv = csv("prompt,duration\nbudget one,5\nbudget two,5\nbudget three,5\nbudget four,5\n");

        var stopped = launcher.run(new CampaignRun(campaign(csv), false, false, 3, 0, Api.V1, new BigDecimal("1.00")));

        assertThat(stopped.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(WireMockApi.paidCalls("budget")).isEqualTo(2);
        assertThat(stopped.summary().spent()).isEqualByComparingTo("0.88");

        var resumed = launcher.run(new CampaignRun(campaign(csv), false, false, 3, 0, Api.V1, new BigDecimal("2.00")));

        assertThat(resumed.summary().allGenerated()).isTrue();
        assertThat(WireMockApi.paidCalls("budget")).isEqualTo(4);
    }

    @Test
    void aRunThatEndsWithResultsStillBeingMadeIsStoppedNotCompleted() throws Exception {
        stubSubmit("tundra", "req-tundra");
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-tundra/status")).willReturn(okJson("{\"status\":\"PROCESSING\"}")));
        Path csv = csv("id,prompt\nt,tundra at dusk\n");

        var result = v2(csv, 1, null);

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(StopReason.stored(result.execution()).kind()).isEqualTo(StopReason.Kind.RESULTS_PENDING);
        assertThat(StopReason.stored(result.execution()).message()).isEqualTo("1 video is still being made by the API");
        assertThat(result.summary().inFlight()).isEqualTo(1);
    }

    @Test
    void aRateLimitedPollNeverWaitsPastMaxWait() throws Exception {
        stubSubmit("savanna", "req-savanna");
        String resetInAnHour = KlingTestConfiguration.TIME.instant().plus(Duration.ofHours(1)).toString();
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-savanna/status")).willReturn(aResponse().withStatus(429)
                .withHeader("x-rate-limit-reset-at-utc", resetInAnHour).withBody("{\"error\":\"slow down\"}")));
        Path csv = csv("id,prompt\ns,savanna storm\n");

        long start = System.nanoTime();
        var result = v2(csv, 1, null);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20)); // max-wait is 2 s here
        assertThat(StopReason.stored(result.execution()).kind()).isEqualTo(StopReason.Kind.RESULTS_PENDING);
        assertThat(ledger.latest(endpoint(), fingerprintOf(campaign(csv), "s"))).hasValueSatisfying(video ->
                assertThat(video.state()).isEqualTo(io.klingbatch.ledger.LedgerState.SUBMITTED));
    }

    @Test
    void anOlderVersionCollectedLateNeverReplacesTheCurrentVideo() throws Exception {
        stubSubmit("old prompt", "req-old");
        SERVER.stubFor(get(urlEqualTo("/v2/requests/req-old/status")).willReturn(okJson("{\"status\":\"PROCESSING\"}")));
        Path csv = csv("id,prompt\nr,old prompt\n");
        v2(csv, 1, null); // left SUBMITTED when the run's wait ended

        csv("id,prompt\nr,new prompt\n");
        stubSubmit("new prompt", "req-new");
        stubStatus("req-new", "COMPLETED");
        stubResult("req-new", "0000ftypisom-the-new-video");
        stubStatus("req-old", "COMPLETED");
        stubResult("req-old", "0000ftypisom-the-old-video");
        var second = v2(csv, 1, null);

        assertThat(second.summary().allGenerated()).isTrue();
        assertThat(output(csv).resolve("r.mp4")).hasContent("0000ftypisom-the-new-video");
        try (var files = Files.list(output(csv))) {
            assertThat(files.filter(file -> file.getFileName().toString().matches("r\\.[0-9a-f]{8}\\.mp4")))
                    .singleElement().satisfies(file -> assertThat(file).hasContent("0000ftypisom-the-old-video"));
        }
    }

    private io.klingbatch.job.RunResult v2(Path csv, int concurrency, BigDecimal budget) throws Exception {
        return launcher.run(new CampaignRun(campaign(csv), false, false, concurrency, 0, Api.V2, budget));
    }

    private static Submission submission(String id) {
        return new Submission(id, URI.create(WireMockApi.baseUrl() + "/v2/requests/" + id + "/status"),
                URI.create(WireMockApi.baseUrl() + "/v2/requests/" + id));
    }

    private static void stubSubmit(String promptFragment, String id) {
        SERVER.stubFor(post(urlEqualTo(SUBMIT)).withRequestBody(WireMock.containing(promptFragment)).willReturn(okJson("""
                {"request_id": "%1$s", "status": "QUEUED", "status_url": "%2$s/v2/requests/%1$s/status",
                 "response_url": "%2$s/v2/requests/%1$s"}""".formatted(id, WireMockApi.baseUrl()))));
    }

    private static void stubStatus(String id, String... states) {
        String scenario = "status-" + id;
        for (int i = 0; i < states.length; i++) {
            var stub = get(urlEqualTo("/v2/requests/" + id + "/status")).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? STARTED : states[i - 1] + i);
            if (i < states.length - 1) {
                stub = stub.willSetStateTo(states[i] + (i + 1));
            }
            SERVER.stubFor(stub.willReturn(okJson("{\"status\":\"" + states[i] + "\"}")));
        }
    }

    private static void stubResult(String id) {
        SERVER.stubFor(get(urlEqualTo("/v2/requests/" + id)).willReturn(okJson("""
                {"status": "COMPLETED", "output": "%s/files/%s.mp4", "metrics": {"cost": 0.44, "remaining_credits": 9.56}}"""
                .formatted(WireMockApi.baseUrl(), id))));
        SERVER.stubFor(get(urlPathEqualTo("/files/" + id + ".mp4")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4").withBody(WireMockApi.VIDEO)));
    }

    private static void stubResult(String id, String video) {
        stubResult(id);
        SERVER.stubFor(get(urlPathEqualTo("/files/" + id + ".mp4")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4").withBody(video)));
    }
}
