package io.klingbatch.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.klingbatch.WireMockApi.GENERATE;
import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.calls;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.paidCalls;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.klingbatch.CampaignTestSupport;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.WireMockApi;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.segmind.ApiRefusedException;
import io.klingbatch.segmind.CreditsExhaustedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

/** The campaign job against a WireMock Segmind: one test per behaviour of the foundation issue. */
class CampaignJobTest extends CampaignTestSupport {

    static final String SEED_PROMPT = "A beloved community figure moves through a 1920s street carnival, warmly interacting with "
            + "attendees. Vintage cars, dancing performers, and striped carnival tents fill the scene. Camera follows closely in "
            + "a handheld cinematic style, capturing intimate smiles and connections, shallow depth of field, 4K UHD, golden warm lighting.";

    @Test
    void generatesEveryRowAndRecordsItInTheManifest() throws Exception {
        SERVER.stubFor(generate("alpha").willReturn(video("req-alpha")));
        SERVER.stubFor(generate("bravo").willReturn(video("req-bravo")));
        Path csv = csv("""
                id,prompt,duration
                a,alpha sunrise,5
                b,bravo sunset,
                """);

        RunResult result = run(csv);

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(2);
        Path video = output(csv).resolve("a.mp4");
        assertThat(Files.readAllBytes(video)).isEqualTo(WireMockApi.VIDEO);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(WireMockApi.VIDEO));
        assertThat(manifest(csv)).containsExactly(
                "id,row,status,file,bytes,sha256,attempts,cost,remaining_credits,request_id,error,format,take,made_for",
                "a,1,GENERATED,a.mp4," + WireMockApi.VIDEO.length + "," + sha256 + ",1,0.88,42.5,req-alpha,,16:9,1,",
                "b,2,GENERATED,b.mp4," + WireMockApi.VIDEO.length + "," + sha256 + ",1,0.88,42.5,req-bravo,,16:9,1,");
        SERVER.verify(postRequestedFor(urlEqualTo(GENERATE)).withHeader("x-api-key", equalTo(KlingTestConfiguration.TEST_KEY))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8")));
        assertThat(output(csv).toFile().list()).as("downloads are written as <id>.<random>.part, then renamed")
                .noneMatch(name -> name.endsWith(".part")).doesNotContain("manifest.csv.tmp");
    }

    @Test
    void sendsTheSeedRowAsExactlyTheSeedBody() throws Exception {
        SERVER.stubFor(generate("carnival").willReturn(video("req-seed")));
        Path csv = csv("prompt\n\"" + SEED_PROMPT + "\"\n");

        run(csv);

        SERVER.verify(1, postRequestedFor(urlEqualTo(GENERATE)).withRequestBody(equalToJson("""
                {"prompt": "%s", "negative_prompt": "no dark tones, no blur, no distort", "cfg_scale": 0.7,
                 "duration": "10", "mode": "pro", "aspect_ratio": "16:9"}""".formatted(SEED_PROMPT))));
    }

    @Test
    void retriesA500AndThenSucceeds() throws Exception {
        SERVER.stubFor(generate("flaky").inScenario("500").whenScenarioStateIs(STARTED).willSetStateTo("ok")
                .willReturn(error(500, "Internal Server Error")));
        SERVER.stubFor(generate("flaky").inScenario("500").whenScenarioStateIs("ok").willReturn(video("req-ok")));
        Path csv = csv("id,prompt\nf,flaky lighthouse\n");

        RunResult result = run(csv);

        assertThat(calls("flaky")).hasSize(2);
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(1);
        assertThat(manifest(csv).get(1)).startsWith("f,1,GENERATED,f.mp4").contains(",2,0.88,");
    }

    @Test
    void marksARowFailedAfterTheLastRetryAndGoesOn() throws Exception {
        SERVER.stubFor(generate("broken").willReturn(error(503, "Service Unavailable")));
        SERVER.stubFor(generate("fine").willReturn(video("req-fine")));
        Path csv = csv("id,prompt\nx,broken bridge\ny,fine meadow\n");

        RunResult result = run(csv);

        assertThat(calls("broken")).hasSize(3);
        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(manifest(csv).get(1)).startsWith("x,1,FAILED,,,,3,").contains("HTTP 503");
        assertThat(manifest(csv).get(2)).startsWith("y,2,GENERATED");
    }

    @Test
    void waitsFor429ResetWithoutCountingAnAttempt() throws Exception {
        String reset = KlingTestConfiguration.TIME.instant().plusSeconds(30).toString();
        SERVER.stubFor(generate("busy").inScenario("429").whenScenarioStateIs(STARTED).willSetStateTo("ok")
                .willReturn(error(429, "Too Many Requests").withHeader("x-rate-limit-reset-at-utc", reset)));
        SERVER.stubFor(generate("busy").inScenario("429").whenScenarioStateIs("ok").willReturn(video("req-busy")));
        Path csv = csv("id,prompt\nr,busy harbour\n");

        run(csv);

        assertThat(KlingTestConfiguration.TIME.sleeps()).containsExactly(Duration.ofSeconds(30));
        assertThat(manifest(csv).get(1)).startsWith("r,1,GENERATED").contains(",1,0.88,");
    }

    @Test
    void stopsWhenCreditsRunOutAndTheSameCommandPaysEachRowOnce() throws Exception {
        SERVER.stubFor(generate("one").willReturn(video("req-1")));
        SERVER.stubFor(generate("two").willReturn(video("req-2")));
        SERVER.stubFor(generate("three").willReturn(error(406, "Insufficient credits")));
        SERVER.stubFor(generate("four").willReturn(video("req-4")));
        SERVER.stubFor(generate("five").willReturn(video("req-5")));
        Path csv = csv("prompt\none tree\ntwo trees\nthree trees\nfour trees\nfive trees\n");

        RunResult stopped = run(csv);

        assertThat(stopped.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(io.klingbatch.generation.StopReason.stored(stopped.execution()).kind()).isEqualTo(io.klingbatch.generation.StopReason.Kind.CREDITS);
        assertThat(calls("four")).isEmpty();
        assertThat(stopped.summary().count(VideoStatus.GENERATED)).isEqualTo(2);
        assertThat(stopped.summary().count(VideoStatus.PENDING)).isEqualTo(3);
        assertThat(manifest(csv)).hasSize(6).anySatisfy(line -> assertThat(line).startsWith("row-3,3,PENDING"));

        SERVER.stubFor(generate("three").willReturn(video("req-3"))); // topped up
        RunResult resumed = run(csv);

        assertThat(resumed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.execution().getJobInstance().getInstanceId()).isEqualTo(stopped.execution().getJobInstance().getInstanceId());
        for (String prompt : List.of("one", "two", "three", "four", "five")) {
            assertThat(paidCalls(prompt + " tree")).as(prompt).isEqualTo(1);
        }
        assertThat(resumed.summary().allGenerated()).isTrue();
    }

    @Test
    void stopsAtOnceOnA401AndMakesNoFurtherCalls() throws Exception {
        SERVER.stubFor(generate("tree").willReturn(error(401, "Invalid API key")));
        Path csv = csv("prompt\nfirst tree\nsecond tree\nthird tree\n");

        RunResult result = run(csv);

        assertThat(result.execution().getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(result.execution().getAllFailureExceptions()).anySatisfy(e -> assertThat(rootOf(e)).isInstanceOf(ApiRefusedException.class));
        assertThat(WireMockApi.allCalls()).isEqualTo(1);
        assertThat(result.summary().count(VideoStatus.PENDING)).isEqualTo(3);
    }

    @Test
    void aResetAfterSendingIsUncertainAndNotResent() throws Exception {
        SERVER.stubFor(generate("reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        SERVER.stubFor(generate("calm").willReturn(video("req-calm")));
        Path csv = csv("id,prompt\nu,reset canyon\nc,calm lake\n");

        RunResult first = run(csv);

        assertThat(calls("reset")).hasSize(1);
        assertThat(first.summary().count(VideoStatus.UNCERTAIN)).isEqualTo(1);
        assertThat(first.summary().uncertain()).singleElement().satisfies(row -> assertThat(row.reason()).contains("may have charged"));
        assertThat(manifest(csv).get(1)).startsWith("u,1,UNCERTAIN");

        run(csv);
        assertThat(calls("reset")).hasSize(1);

        SERVER.stubFor(generate("reset").willReturn(video("req-reset")));
        RunResult resent = run(csv, true);
        assertThat(calls("reset")).hasSize(2);
        assertThat(resent.summary().allGenerated()).isTrue();
    }

    @Test
    void aTimeoutAfterSendingIsUncertain() throws Exception {
        SERVER.stubFor(generate("slow").willReturn(video("req-slow").withFixedDelay(3_000)));
        write("slow.csv", "id,prompt\ns,slow glacier\n");
        Path job = write("slow.yml", """
                input: slow.csv
                client:
                  response-timeout: 500ms
                """);

        RunResult result = run(job);

        assertThat(calls("slow")).hasSize(1);
        assertThat(result.summary().count(VideoStatus.UNCERTAIN)).isEqualTo(1);
        assertThat(manifest(job).get(1)).startsWith("s,1,UNCERTAIN").contains("no answer within");
    }

    @Test
    void anotherClientErrorFailsTheRowWithTheApiText() throws Exception {
        SERVER.stubFor(generate("odd").willReturn(error(400, "prompt violates the content policy")));
        SERVER.stubFor(generate("plain").willReturn(video("req-plain")));
        Path csv = csv("id,prompt\no,odd request\np,plain request\n");

        run(csv);

        assertThat(calls("odd")).hasSize(1);
        assertThat(manifest(csv).get(1)).startsWith("o,1,FAILED").contains("prompt violates the content policy");
        assertThat(manifest(csv).get(2)).startsWith("p,2,GENERATED");
    }

    @Test
    void badRowsAreNeverSentAndNameTheirField() throws Exception {
        SERVER.stubFor(generate("good").willReturn(video("req-good")));
        Path csv = csv("""
                id,prompt,cfg_scale,duration
                g,good river,0.5,5
                bad,worse river,1.5,5
                dup,worst river,,7
                g,good river again,,
                """);

        RunResult result = run(csv);

        assertThat(WireMockApi.allCalls()).isEqualTo(1);
        assertThat(result.summary().count(VideoStatus.REJECTED)).isEqualTo(3);
        List<String> manifest = manifest(csv);
        assertThat(manifest.get(2)).startsWith("bad,2,REJECTED").contains("cfg_scale: must be a number from 0 to 1");
        assertThat(manifest.get(3)).startsWith("dup,3,REJECTED").contains("duration: must be one of 5, 10");
        assertThat(manifest.get(4)).startsWith("g,4,REJECTED").contains("id: 'g' is already used by row 1");
    }

    @Test
    void aRerunAfterCompletionSendsNothing() throws Exception {
        SERVER.stubFor(generate("once").willReturn(video("req-once")));
        Path csv = csv("prompt\nonce upon a time\n");
        run(csv);
        SERVER.resetRequests();

        RunResult again = run(csv);

        assertThat(again.launched()).isFalse();
        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(again.summary().allGenerated()).isTrue();
    }

    @Test
    void anAppendedRowIsTheOnlyOneSent() throws Exception {
        SERVER.stubFor(generate("mountain").willReturn(video("req-m")));
        Path csv = csv("prompt\nfirst mountain\nsecond mountain\n");
        run(csv);
        SERVER.resetRequests();

        Files.writeString(csv, "third mountain\n", java.nio.file.StandardOpenOption.APPEND);
        RunResult result = run(csv);

        assertThat(WireMockApi.allCalls()).isEqualTo(1);
        assertThat(calls("third mountain")).hasSize(1);
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(3);
    }

    @Test
    void aChangedRowIsANewVersionAndTheOldVideoIsKept() throws Exception {
        SERVER.stubFor(generate("forest").willReturn(video("req-forest")));
        Path csv = csv("id,prompt\nf,green forest\n");
        run(csv);

        csv("id,prompt\nf,autumn forest\n");
        run(csv);

        assertThat(calls("forest")).hasSize(2);
        assertThat(output(csv).resolve("f.mp4")).exists();
        try (var files = Files.list(output(csv))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.matches("f\\.[0-9a-f]{8}\\.mp4"));
        }
        assertThat(manifest(csv).get(1)).startsWith("f,1,GENERATED,f.mp4");
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof io.klingbatch.segmind.SegmindException)) {
            t = t.getCause();
        }
        return t;
    }

}
