package io.klingbatch.cli;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.WireMockApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** report.html after every run (completed, stopped, nothing to do), and the {@code report} command, which calls no API. */
class ReportCommandTest extends CliTestSupport {


    private String report() throws Exception {
        return Files.readString(folder.resolve("out/campaign/report.html"), StandardCharsets.UTF_8);
    }

    @Test
    void everyRunWritesTheReportCompletedStoppedOrWithNothingToDo() throws Exception {
        SERVER.stubFor(generate("first dune").willReturn(video("req-1")));
        SERVER.stubFor(generate("second dune").willReturn(error(406, "Insufficient credits")));
        csv("id,prompt,duration\nfirst,first dune,5\nsecond,second dune,5\nbad,,5\n");

        assertThat(cli("run", "campaign.csv")).isEqualTo(3); // stopped: out of credits
        assertThat(report()).contains("src=\"first.mp4\"", "data-id=\"bad\"", "prompt: is empty")
                .containsPattern("<tr data-status=\"PENDING\" data-id=\"second\">");

        SERVER.stubFor(generate("second dune").willReturn(video("req-2")));
        assertThat(cli("run", "campaign.csv")).isEqualTo(1); // completed; one row rejected
        assertThat(report()).contains("src=\"first.mp4\"", "src=\"second.mp4\"", "data-id=\"bad\"").doesNotContain("data-status=\"PENDING\" data-id");

        Files.delete(folder.resolve("out/campaign/report.html"));
        assertThat(cli("run", "campaign.csv")).isEqualTo(1); // nothing to send
        assertThat(out.toString()).contains("Nothing to send");
        assertThat(out.toString()).as("the end says where the report is").contains("Videos in out/campaign; report out/campaign/report.html.");
        assertThat(report()).contains("src=\"first.mp4\"", "src=\"second.mp4\"");
        assertThat(WireMockApi.paidCalls("first dune")).isEqualTo(1);
    }

    @Test
    void reportRewritesItWithoutAnyApiCallOrKey() throws Exception {
        SERVER.stubFor(generate("quiet shore").willReturn(video("req-shore")));
        csv("id,prompt,duration\nshore,quiet shore,5\n");
        assertThat(cli("run", "campaign.csv")).isZero();
        Path report = folder.resolve("out/campaign/report.html");
        Files.delete(report); // as a run of a version without reports left it
        int calls = SERVER.getAllServeEvents().size(); // any request at all: generation, balance, status

        assertThat(cli("report", "campaign.csv")).isZero();

        assertThat(out.toString()).contains("Report: out/campaign/report.html");
        assertThat(Files.readString(report)).contains("src=\"shore.mp4\"", "quiet shore", "data-total=\"GENERATED\"");
        assertThat(SERVER.getAllServeEvents()).as("requests to the API").hasSize(calls);

        Files.delete(report);
        KlingTestConfiguration.KEY.set(null);
        assertThat(cli("report", "campaign.csv")).as("without a key").isZero();
        assertThat(Files.readString(report)).contains("src=\"shore.mp4\"");
        assertThat(SERVER.getAllServeEvents()).as("requests to the API").hasSize(calls);
        assertThat(folder.resolve("out/campaign").toFile().list()).noneMatch(name -> name.endsWith(".tmp"));

        assertThat(cli("report", "campaign.csv", "--output", "elsewhere")).isZero();
        assertThat(out.toString()).contains("Report: elsewhere/report.html");
        assertThat(Files.readString(folder.resolve("elsewhere/report.html"))).contains("shore.mp4");
    }

    @Test
    void reportOfAnUnusableCampaignFileExitsTwo() throws Exception {
        assertThat(cli("report", "missing.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("missing.csv: no such file");

        csv("id,prompt\na,\"never closed\n");
        assertThat(cli("report", "campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("quoted field is never closed");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void aReportThatCannotBeWrittenNeverFailsTheRun() throws Exception {
        SERVER.stubFor(generate("calm lake").willReturn(video("req-lake")));
        csv("id,prompt,duration\nlake,calm lake,5\n");
        Path blocker = folder.resolve("out/campaign/report.html");
        Files.createDirectories(blocker.resolve("in-the-way")); // a folder where the report should go: it cannot be replaced

        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(out.toString()).contains("Done: every row has its video.");
        assertThat(folder.resolve("out/campaign/lake.mp4")).exists();
        assertThat(Files.readString(folder.resolve("out/campaign/manifest.csv"))).contains("lake,1,GENERATED");
        assertThat(folder.resolve("out/campaign").toFile().list()).noneMatch(name -> name.endsWith(".tmp"));
        assertThat(cli("run", "campaign.csv")).isZero(); // nothing to send: the launcher's own path
        assertThat(out.toString()).contains("Nothing to send");

        assertThat(cli("report", "campaign.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("Not written: cannot write", "report.html");
    }

    @Test
    void helpNamesTheCommand() {
        assertThat(cli("--help")).isZero();
        assertThat(out.toString()).contains("report");
        assertThat(cli("report", "--help")).isZero();
        assertThat(out.toString()).contains("No API call", "--output");
    }
}
