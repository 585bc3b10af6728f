package io.klingbatch.cli;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.WireMockApi;
import java.io.PrintWriter;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The command line as scripts see it: exit codes and the one sentence each outcome prints. */
class KlingBatchCliTest extends CliTestSupport {


    @Test
    void helpOnTheToolAndEachCommand() {
        assertThat(cli("--help")).isZero();
        assertThat(out.toString()).contains("Usage: kling-batch", "run", "validate", "Exit codes");
        assertThat(cli("run", "--help")).isZero();
        assertThat(out.toString()).contains("--resend-uncertain", "--simulate", "--output");
        assertThat(cli("validate", "--help")).isZero();
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(cli()).isEqualTo(2);
        assertThat(cli("run", "--spring.datasource.url=x", "a.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option");
    }

    @Test
    void anUnusableSettingIsAConfigurationErrorNamingIt() {
        Exception bound = new IllegalStateException("Error creating bean with name 'jobProperties'",
                org.assertj.core.api.Assertions.catchException(() -> new io.klingbatch.job.JobProperties(0)));
        assertThat(KlingBatchCli.failure(new Console(new PrintWriter(out, true), new PrintWriter(err, true), false), bound)).isEqualTo(2);
        assertThat(err.toString()).contains("Setting not usable: kling.job.chunk-size must be at least 1, got 0.");
        assertThat(org.assertj.core.api.Assertions.catchException(() -> new io.klingbatch.request.RequestProperties(java.util.List.of())))
                .hasMessageContaining("kling.request.allowed-modes");
    }

    @Test
    void validateExitsByWhatItFound() throws Exception {
        csv("id,prompt,cfg_scale\na,fine,0.5\n");
        assertThat(cli("validate", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("All 1 rows of campaign.csv are valid.");

        csv("id,prompt,cfg_scale\na,fine,0.5\nb,too strong,1.5\n");
        assertThat(cli("validate", "campaign.csv")).isEqualTo(1);
        assertThat(out.toString()).contains("row 2 (id b, line 3): cfg_scale: must be a number from 0 to 1 (got '1.5')");

        assertThat(cli("validate", "missing.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("missing.csv: no such file");

        csv("id,prompt\na,\"never closed\n");
        assertThat(cli("validate", "campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("campaign.csv, line").contains("quoted field is never closed");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void runExitsZeroWhenEveryRowIsGeneratedAndOneWhenSomeAreNot() throws Exception {
        SERVER.stubFor(generate("dune").willReturn(video("req-dune")));
        csv("prompt\ngolden dune\n");
        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("Done: every row has its video.", "Manifest: out/campaign/manifest.csv");

        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("Nothing to send");
        assertThat(WireMockApi.allCalls()).isEqualTo(1);

        write("mixed.csv", "prompt,duration\nred dune,5\nblue dune,7\n");
        assertThat(cli("run", "mixed.csv")).isEqualTo(1);
        assertThat(out.toString()).contains("REJECTED row 2 (id row-2, line 3): duration: must be one of 5, 10 (got '7')", "1 rejected");
    }

    @Test
    void runExitsThreeWhenCreditsRunOutAndZeroAfterTheTopUp() throws Exception {
        SERVER.stubFor(generate("first hill").willReturn(video("req-1")));
        SERVER.stubFor(generate("second hill").willReturn(error(406, "Insufficient credits")));
        csv("prompt\nfirst hill\nsecond hill\n");

        assertThat(cli("run", "campaign.csv")).isEqualTo(3);
        assertThat(out.toString()).contains("Stopped: out of credits", "1 row done, 1 left",
                "run the same command again:\n  kling-batch run campaign.csv");

        SERVER.stubFor(generate("second hill").willReturn(video("req-2")));
        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(WireMockApi.paidCalls("first hill")).isEqualTo(1);
        assertThat(WireMockApi.paidCalls("second hill")).isEqualTo(1);
    }

    @Test
    void runExitsFourWhenTheApiRefusesTheKey() throws Exception {
        SERVER.stubFor(generate("hill").willReturn(error(401, "Invalid API key")));
        csv("prompt\nfirst hill\nsecond hill\n");

        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(4);
        assertThat(err.toString()).contains("the API key was refused (HTTP 401): check SEGMIND_API_KEY", "No further calls were made");
        assertThat(WireMockApi.allCalls()).isEqualTo(1);
    }

    @Test
    void runWithoutAKeyExitsTwoBeforeReadingAnything() throws Exception {
        KlingTestConfiguration.KEY.set(null);
        csv("prompt\nquiet hill\n");

        assertThat(cli("run", "campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("SEGMIND_API_KEY", "--simulate");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void simulateNeedsNoKeyAndWritesRealFiles() throws Exception {
        KlingTestConfiguration.KEY.set(null);
        csv("id,prompt,duration\ns,simulated shore,5\n");

        assertThat(cli("run", "campaign.csv", "--simulate", "--output", "sim-out")).isZero();
        assertThat(out.toString()).contains("simulated API", "Done: every row has its video.");
        byte[] video = Files.readAllBytes(folder.resolve("sim-out/s.mp4"));
        assertThat(new String(video, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void aBadJobFileIsAConfigurationError() throws Exception {
        csv("prompt\nhill\n");
        write("job.yml", "input: campaign.csv\ndefaults:\n  cfg_scale: 3\n");
        assertThat(cli("run", "job.yml")).isEqualTo(2);
        assertThat(err.toString()).contains("job.yml", "cfg_scale");

        write("job.yml", "input: campaign.csv\nconcurency: 4\n");
        assertThat(cli("validate", "job.yml")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting 'concurency'");
    }

    @Test
    void statusOfAStoppedCampaignSaysWhatToDoWithoutCallingTheApi() throws Exception {
        SERVER.stubFor(generate("first lake").willReturn(video("req-1")));
        SERVER.stubFor(generate("second lake").willReturn(error(406, "Insufficient credits")));
        csv("prompt\nfirst lake\nsecond lake\nbad,row,too,many\n");
        assertThat(cli("status", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("last run: none", "next: not run yet");

        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(3);
        SERVER.resetRequests();
        assertThat(cli("status", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("generated 1, rejected 1, failed 0, uncertain 0, pending 1", "credits spent 0.88",
                "last run: STOPPED", "next: stopped: out of credits; top up and run the same command");

        assertThat(cli("status", "campaign.csv", "--json")).isZero();
        assertThat(out.toString()).contains("\"counts\":{\"generated\":1,\"rejected\":1,\"failed\":0,\"uncertain\":0,\"pending\":1}",
                "\"status\":\"STOPPED\"", "\"stopReason\":\"CREDITS\"");
        assertThat(SERVER.getAllServeEvents()).isEmpty();
    }

    @Test
    void validatePrintsTheEstimatedCostOfTheValidRows() throws Exception {
        csv("prompt,duration\nshort,5\nlong,10\nbroken,7\n");
        assertThat(cli("validate", "campaign.csv")).isEqualTo(1);
        assertThat(out.toString()).contains("Estimated cost of the 2 valid rows: about 1.32 credits.");
    }

    @Test
    void requireCreditsRefusesWhenTheBalanceCannotCoverTheCampaign() throws Exception {
        SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/get-user-credits")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"credits\": 1.0, \"free-credits\": 0}")));
        csv("prompt,duration\nfirst cliff,10\nsecond cliff,10\n");

        assertThat(cli("run", "campaign.csv", "--require-credits")).isEqualTo(3);
        assertThat(err.toString()).contains("Balance 1 credits covers about 1 of the 2 videos to make (estimated 1.76 credits)");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void requireCreditsCountsTheNewTakesOfARemake() throws Exception {
        SERVER.stubFor(generate("cliff").willReturn(video("req-c", "0.88")));
        csv("id,prompt,duration\na,first cliff at noon,10\nb,second cliff at noon,10\n");
        assertThat(cli("run", "campaign.csv")).isZero();
        SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/get-user-credits")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"credits\": 1.0, \"free-credits\": 0}")));
        SERVER.resetRequests();

        assertThat(cli("run", "campaign.csv", "--remake", "a,b", "--require-credits")).isEqualTo(3);
        assertThat(err.toString()).contains("Balance 1 credits covers about 1 of the 2 videos to make (estimated 1.76 credits)");
        assertThat(WireMockApi.paidCalls("cliff")).isZero();
    }

    @Test
    void aBudgetStopExitsThreeAndNamesTheBudget() throws Exception {
        SERVER.stubFor(generate("ridge").willReturn(video("req", "0.44")));
        csv("prompt,duration\nfirst ridge,5\nsecond ridge,5\nthird ridge,5\n");

        assertThat(cli("run", "campaign.csv", "--max-credits", "1", "--concurrency", "1")).isEqualTo(3);
        assertThat(out.toString()).contains("Stopped: the budget of 1 credits would be passed by the next video", "larger --max-credits");
        assertThat(WireMockApi.paidCalls("ridge")).isEqualTo(2);

        assertThat(cli("run", "campaign.csv", "--max-credits", "2")).isZero();
        assertThat(WireMockApi.paidCalls("ridge")).isEqualTo(3);
    }

    @Test
    void theSimulatedApiAlsoSpeaksV2() throws Exception {
        KlingTestConfiguration.KEY.set(null);
        csv("id,prompt,duration\nv,queued harbour,5\n");

        assertThat(cli("run", "campaign.csv", "--simulate", "--api", "v2", "--output", "v2-out")).isZero();
        assertThat(Files.readAllBytes(folder.resolve("v2-out/v.mp4"))).isNotEmpty();
    }

    @Test
    void aHeaderWithoutRowsIsAnUnusableFile() throws Exception {
        csv("id,prompt\n");
        assertThat(cli("validate", "campaign.csv")).isEqualTo(2);
        assertThat(cli("run", "campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("campaign.csv: has a header but no data rows");
    }

    @Test
    void twoCampaignsOfTheSameNameDoNotShareAnOutputFolder() throws Exception {
        SERVER.stubFor(generate("plain").willReturn(video("req-1")));
        csv("prompt\nplain one\n");
        Files.createDirectories(folder.resolve("other"));
        write("other/campaign.csv", "prompt\nplain two\n");
        assertThat(cli("run", "campaign.csv")).isZero();

        assertThat(cli("run", "other/campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("its default output folder", "already holds the videos of " + folder.resolve("campaign.csv"), "--output");
        assertThat(WireMockApi.calls("plain two")).isEmpty();
        assertThat(cli("run", "other/campaign.csv", "--output", "out/other")).isZero();
    }

    @Test
    void aMissingPaidVideoIsReportedNotPaidAgain() throws Exception {
        SERVER.stubFor(generate("tower").willReturn(video("req-t")));
        csv("id,prompt\nt,tall tower\n");
        assertThat(cli("run", "campaign.csv")).isZero();
        Files.delete(folder.resolve("out/campaign/t.mp4"));
        Files.delete(folder.resolve("out/campaign/manifest.csv"));

        cli("run", "campaign.csv");

        assertThat(out.toString()).contains("Warning: 1 paid video is missing from the output folder (t.mp4)");
        assertThat(Files.readString(folder.resolve("out/campaign/manifest.csv"))).contains("the file is missing");
        assertThat(WireMockApi.calls("tall tower")).hasSize(1);
    }

    @Test
    void anErrorBodyNeverShowsTheKey() throws Exception {
        SERVER.stubFor(generate("echo").willReturn(error(401, "Invalid API key: " + KlingTestConfiguration.TEST_KEY)));
        csv("prompt\necho chamber\n");

        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(4);
        assertThat(err.toString()).contains("Invalid API key: [the API key]").doesNotContain(KlingTestConfiguration.TEST_KEY);
    }

    @Test
    void aCampaignHeldByAnotherRunExitsFiveNamingTheHolder() throws Exception {
        SERVER.stubFor(generate("held").willReturn(video("req-h")));
        csv("prompt\nheld harbour\n");
        String key = io.klingbatch.job.CampaignLauncher.leaseKey(folder.resolve("campaign.csv"), endpoint());
        try (io.klingbatch.ledger.Lease held = context.getBean(io.klingbatch.ledger.Leases.class).hold(key, "campaign", message -> { })) {
            assertThat(cli("run", "campaign.csv")).isEqualTo(5);
        }
        assertThat(err.toString()).contains("Not started: another run holds this campaign: ", "pid " + ProcessHandle.current().pid(), "since");
        assertThat(WireMockApi.calls("held")).isEmpty();
    }

    @Test
    void theFirstLineAndValidateSayWhatIsCopiedAndWhatIsPaid() throws Exception {
        SERVER.stubFor(generate("copy").willReturn(video("req-c")));
        csv("id,prompt\na,copy me\nb,copy me\nc,copy me too\n");
        assertThat(cli("validate", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("row 2 (id b) asks for the same video as row 1: it is paid for once and copied.",
                "A run would pay for 2 videos and copy 1 from videos made earlier, not paid again.");

        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("Campaign campaign: 3 rows (3 valid, 0 rejected): 2 videos to pay for, 1 copied from earlier videos");
        assertThat(WireMockApi.allCalls()).isEqualTo(2);

        write("again.csv", "id,prompt\nz,copy me\n");
        assertThat(cli("run", "again.csv")).isZero();
        assertThat(out.toString()).contains("Campaign again: 1 row (1 valid, 0 rejected): 0 videos to pay for, 1 copied from earlier videos",
                "row 1 z: made earlier for campaign; copied, not paid again");
        assertThat(WireMockApi.allCalls()).isEqualTo(2);
    }

    @Test
    void aMisspeltRemakeIdExitsTwoNamingIt() throws Exception {
        SERVER.stubFor(generate("remake").willReturn(video("req-r")));
        csv("id,prompt\nshoe,remake the shoe\n");
        assertThat(cli("run", "campaign.csv")).isZero();

        assertThat(cli("run", "campaign.csv", "--remake", "shoe,shoo")).isEqualTo(2);
        assertThat(err.toString()).contains("--remake names an id no row has: shoo");
        assertThat(WireMockApi.calls("remake the shoe")).hasSize(1);

        assertThat(cli("run", "campaign.csv", "--remake", "SHOE")).isZero();
        assertThat(WireMockApi.calls("remake the shoe")).hasSize(2);
        assertThat(folder.resolve("out/campaign/shoe.take1.mp4")).exists();
    }

    @Test
    void statusListsUncertainRowsByIdAndPrintsPlainNumbers() throws Exception {
        SERVER.stubFor(generate("lost").willReturn(aResponseWithFault()));
        SERVER.stubFor(generate("pricey").willReturn(video("req-p", "30")));
        csv("id,prompt\nu,lost signal\np,pricey sunset\n");
        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(1);

        assertThat(cli("status", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("uncertain: row 1 u: the connection broke after the request was sent",
                "credits spent 30, up to 0.88 more possibly charged (1 uncertain)");
        assertThat(cli("status", "campaign.csv", "--json")).isZero();
        assertThat(out.toString()).contains("\"creditsSpent\":30,", "\"uncertainRows\":[{\"id\":\"u\",\"row\":1,\"reason\":")
                .doesNotContain("3E+1");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder aResponseWithFault() {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
    }

    @Test
    void simulatedCreditsRehearseRunningOutAndNeedSimulate() throws Exception {
        csv("prompt,duration\nsim one,5\nsim two,5\nsim three,5\n");
        var simulator = context.getBean(io.klingbatch.segmind.SegmindConnector.class).simulator();
        try {
            assertThat(cli("run", "campaign.csv", "--simulate", "--simulate-credits", "0.9", "--concurrency", "1")).isEqualTo(3);
            assertThat(out.toString()).contains("Stopped: out of credits", "2 rows done, 1 left");

            assertThat(cli("run", "campaign.csv", "--simulate-credits", "5")).isEqualTo(2);
            assertThat(err.toString()).contains("--simulate-credits and --simulate-latency go with --simulate.");
            assertThat(cli("run", "campaign.csv", "--simulate", "--simulate-latency", "soon")).isEqualTo(2);
            assertThat(err.toString()).contains("--simulate-latency must be a duration");
        } finally {
            simulator.setCredits(new java.math.BigDecimal("1000000"));
            simulator.setLatency(java.time.Duration.ZERO);
        }
    }

    @Test
    void progressOffATerminalIsPlainLinesAndQuietKeepsOnlyTheSummary() throws Exception {
        SERVER.stubFor(generate("meter").willReturn(video("req-m")));
        csv("id,prompt,cfg_scale\na,meter one,\nb,meter two,\nc,meter three,\nbad,meter four,7\n");

        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isEqualTo(1);
        String shown = out.toString();
        assertThat(shown).contains("Progress: 3 of 3 videos (100%)", "Took ", "Videos in out/campaign",
                "Next: fix the 1 rejected row (the manifest names each field) and run the same command to make it too.");
        assertThat(shown).doesNotContain("\r", "\u001b");

        out.getBuffer().setLength(0);
        assertThat(cli("run", "campaign.csv", "--quiet")).isEqualTo(1);
        assertThat(out.toString()).doesNotContain("Campaign campaign:", "REJECTED", "Progress:")
                .contains("Nothing to send: every video of this campaign was made already.", "Took ");
    }

    @Test
    void aRemakeStoppedByItsBudgetAndResumedWithTheSameCommandMakesOneNewTakeEach() throws Exception {
        SERVER.stubFor(generate("kite").willReturn(WireMockApi.uniqueVideo()));
        csv("id,prompt,duration\na,kite one,5\nb,kite two,5\n");
        assertThat(cli("run", "campaign.csv", "--concurrency", "1")).isZero();

        assertThat(cli("run", "campaign.csv", "--remake", "a,b", "--max-credits", "2.7", "--concurrency", "1")).isEqualTo(3);
        assertThat(out.toString()).contains("Campaign campaign: 2 rows (2 valid, 0 rejected): 2 videos to pay for");
        assertThat(WireMockApi.calls("kite one")).hasSize(2);
        assertThat(WireMockApi.calls("kite two")).hasSize(1);

        assertThat(cli("run", "campaign.csv", "--remake", "a,b", "--max-credits", "10", "--concurrency", "1")).isZero();
        assertThat(WireMockApi.calls("kite one")).as("the same command resumed: no second new take").hasSize(2);
        assertThat(WireMockApi.calls("kite two")).hasSize(2);
    }
}
