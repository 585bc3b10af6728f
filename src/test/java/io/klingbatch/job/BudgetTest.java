package io.klingbatch.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.paidCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.klingbatch.CampaignTestSupport;
import io.klingbatch.WireMockApi;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.StopReason;
import io.klingbatch.ledger.Claim;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.VideoKey;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An honest budget: the price is learned from the calls the API answers, the budget counts what earlier runs paid or
 * may have been charged for, and once a price is known the budget is never passed.
 */
class BudgetTest extends CampaignTestSupport {

    @Autowired
    Ledger ledger;

    @Test
    void whileThePriceIsUnknownOnlyOneCallIsInFlight() throws Exception {
        // four workers and a guess of 0.44 would send four calls at once under a budget of 2; the API says 1 a video
        SERVER.stubFor(generate("pulsar").willReturn(WireMockApi.video("req", "1").withFixedDelay(100)));
        Path csv = csv(rows("pulsar", 8));

        var result = launcher.run(new CampaignRun(campaign(csv), false, false, 4, 0, Api.V1, new BigDecimal("2")));

        assertThat(paidCalls("pulsar")).isEqualTo(2);
        assertThat(result.summary().spent()).isEqualByComparingTo("2");
    }

    @Test
    void theRealPriceIsLearnedAndTheBudgetIsNeverPassed() throws Exception {
        // the configured guess for a 5 s video is 0.44; the API says 1
        SERVER.stubFor(generate("comet").willReturn(WireMockApi.video("req", "1").withFixedDelay(50)));
        Path csv = csv(rows("comet", 10));

        var result = launcher.run(new CampaignRun(campaign(csv), false, false, 4, 0, Api.V1, new BigDecimal("6")));

        assertThat(paidCalls("comet")).isEqualTo(6);
        assertThat(result.summary().spent()).isEqualByComparingTo("6");
        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(StopReason.stored(result.execution()).kind()).isEqualTo(StopReason.Kind.BUDGET);
    }

    @Test
    void whatEarlierRunsSpentCountsAgainstALargerBudget() throws Exception {
        SERVER.stubFor(generate("nebula").willReturn(WireMockApi.video("req", "1")));
        Path csv = csv(rows("nebula", 10));

        launcher.run(new CampaignRun(campaign(csv), false, false, 2, 0, Api.V1, new BigDecimal("3")));
        assertThat(paidCalls("nebula")).isEqualTo(3);

        var second = launcher.run(new CampaignRun(campaign(csv), false, false, 2, 0, Api.V1, new BigDecimal("5")));

        assertThat(paidCalls("nebula")).as("a budget of 5 after 3 were paid leaves room for 2, not 5").isEqualTo(5);
        assertThat(second.summary().spent()).isEqualByComparingTo("5");
    }

    @Test
    void callsThatMayHaveBeenChargedCountAgainstTheBudget() throws Exception {
        SERVER.stubFor(generate("quasar").willReturn(WireMockApi.video("req", "1")));
        Path csv = csv(rows("quasar", 6));
        VideoKey earlier = new VideoKey(endpoint(), io.klingbatch.Sha256.of("an earlier request"), 1);
        ledger.claim(earlier, new Claim("5", "pro", BigDecimal.ONE, "campaign", "gone", null, "a-dead-process"), Optional.empty());
        ledger.uncertain(earlier, "the connection broke after the request was sent", Ledger.Expect.claimedBy("a-dead-process"));
        ledger.paid(new VideoKey(endpoint(), io.klingbatch.Sha256.of("a known price"), 1),
                new io.klingbatch.ledger.SavedVideo("p.mp4", folder.resolve("p.mp4"), 1, "0".repeat(64)), "host",
                new io.klingbatch.segmind.Billing(BigDecimal.ONE, null, null), "another campaign", "p");

        var result = launcher.run(new CampaignRun(campaign(csv), false, false, 2, 0, Api.V1, new BigDecimal("3")));

        assertThat(paidCalls("quasar")).as("3 credits, 1 possibly charged already").isEqualTo(2);
        assertThat(result.summary().spend().possiblyCount()).isEqualTo(1);
    }

    @Test
    void aV2PriceTheResultDoesNotSayIsLearnedFromTheBalanceAndSpendIsNeverZero() throws Exception {
        SERVER.stubFor(post(urlEqualTo("/v2/kling-2.5-turbo")).willReturn(okJson("""
                {{#assign 'id'}}{{randomValue length=8 type='ALPHANUMERIC'}}{{/assign}}
                {"request_id": "{{id}}", "status": "QUEUED", "status_url": "%1$s/v2/requests/{{id}}/status",
                 "response_url": "%1$s/v2/requests/{{id}}"}""".formatted(WireMockApi.baseUrl())).withTransformers("response-template")));
        SERVER.stubFor(get(urlPathMatching("/v2/requests/[^/]+/status")).willReturn(okJson("{\"status\":\"COMPLETED\"}")));
        SERVER.stubFor(get(urlPathMatching("/v2/requests/[^/]+")).willReturn(okJson("""
                {"status": "COMPLETED", "output": "%s/files/{{request.pathSegments.[2]}}.mp4"}""".formatted(WireMockApi.baseUrl()))
                .withTransformers("response-template")));
        SERVER.stubFor(get(urlPathMatching("/files/.*")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "video/mp4")
                .withBody(WireMockApi.VIDEO)));
        SERVER.stubFor(get(urlEqualTo("/v1/get-user-credits")).inScenario("balance").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"credits\": 10, \"free-credits\": 0}")).willSetStateTo("after"));
        SERVER.stubFor(get(urlEqualTo("/v1/get-user-credits")).inScenario("balance").whenScenarioStateIs("after")
                .willReturn(okJson("{\"credits\": 9, \"free-credits\": 0}")));
        Path csv = csv(rows("aurora", 6));

        var result = launcher.run(new CampaignRun(campaign(csv), false, false, 3, 0, Api.V2, new BigDecimal("3")));

        SERVER.verify(3, WireMock.postRequestedFor(urlEqualTo("/v2/kling-2.5-turbo")));
        assertThat(result.summary().spent()).as("1 a video, learned from the balance's change").isEqualByComparingTo("3");
    }

    private static String rows(String word, int count) {
        return "prompt,duration\n" + IntStream.rangeClosed(1, count).mapToObj(i -> word + " " + i + ",5").collect(Collectors.joining("\n")) + "\n";
    }
}
