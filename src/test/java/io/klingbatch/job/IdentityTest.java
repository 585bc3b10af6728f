package io.klingbatch.job;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.calls;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.paidCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.WireMockApi;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.Api;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.generation.ProgressRelay;
import io.klingbatch.generation.RunProgress;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.output.Placement;
import io.klingbatch.output.VideoStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A video is known by what was paid for (the request, its take, the API), not by the output folder, the working
 * directory, the CSV's name or the row's position: each of those changing used to mean paying again.
 */
class IdentityTest extends CampaignTestSupport {

    @Autowired
    Ledger ledger;

    @Autowired
    ProgressRelay progress;

    private final List<String> said = new CopyOnWriteArrayList<>();

    @AfterEach
    void quiet() {
        progress.listen(null);
    }

    @Test
    void theSameCampaignRunFromAnotherWorkingDirectoryPaysNothingAndCopiesEveryVideo() throws Exception {
        stubUniqueVideos("harbour");
        Path csv = csv("id,prompt\na,first harbour\nb,second harbour\n");
        Path project = folder.resolve("project");
        Path home = folder.resolve("home");
        Files.createDirectories(project);
        Files.createDirectories(home);
        launcher.run(new CampaignRun(new CampaignLoader(project).load(csv, null), false, false, 1, 0));
        SERVER.resetRequests();
        listen();

        Campaign fromHome = new CampaignLoader(home).load(csv, null); // cron's working directory: another default output folder
        var result = launcher.run(new CampaignRun(fromHome, false, false, 2, 0));

        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(2);
        assertThat(fromHome.output()).isNotEqualTo(project.resolve("out/campaign"));
        assertThat(fromHome.output().resolve("a.mp4")).hasSameBinaryContentAs(project.resolve("out/campaign/a.mp4"));
        assertThat(fromHome.output().resolve("b.mp4")).hasSameBinaryContentAs(project.resolve("out/campaign/b.mp4"));
        assertThat(sameFile(fromHome.output().resolve("a.mp4"), project.resolve("out/campaign/a.mp4"))).as("a hard link").isTrue();
        assertThat(said).contains("a: made earlier for campaign; copied, not paid again", "b: made earlier for campaign; copied, not paid again");
    }

    @Test
    void aRedownloadedCsvUnderAnotherNamePaysNothing() throws Exception {
        stubUniqueVideos("meadow");
        Path csv = csv("id,prompt\na,first meadow\nb,second meadow\n");
        run(csv);
        SERVER.resetRequests();
        Path again = write("Campaign - Sheet1 (1).csv", Files.readString(csv));

        var intoNewFolder = run(again);
        var intoOldFolder = launcher.run(new CampaignRun(new CampaignLoader(folder).load(again, output(csv)), false, false, 1, 0));

        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(intoNewFolder.summary().allGenerated()).isTrue();
        assertThat(output(again).resolve("b.mp4")).hasSameBinaryContentAs(output(csv).resolve("b.mp4"));
        assertThat(intoOldFolder.summary().allGenerated()).as("--output pointing at the old folder is not refused").isTrue();
    }

    @Test
    void rowsWithoutIdsSortedOrWithARowInsertedPayOnlyForTheNewRow() throws Exception {
        stubUniqueVideos("dune");
        Path csv = csv("prompt\nalpha dune\nbravo dune\ncharlie dune\n");
        run(csv);
        byte[] alpha = Files.readAllBytes(output(csv).resolve("row-1.mp4"));
        byte[] charlie = Files.readAllBytes(output(csv).resolve("row-3.mp4"));
        SERVER.resetRequests();

        csv("prompt\ncharlie dune\nbravo dune\nalpha dune\n"); // sorted the other way
        var sorted = run(csv);
        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(sorted.summary().allGenerated()).isTrue();
        assertThat(Files.readAllBytes(output(csv).resolve("row-1.mp4"))).isEqualTo(charlie);
        assertThat(Files.readAllBytes(output(csv).resolve("row-3.mp4"))).isEqualTo(alpha);

        csv("prompt\nzulu dune\ncharlie dune\nbravo dune\nalpha dune\n"); // a row inserted at the top
        var inserted = run(csv);
        assertThat(WireMockApi.allCalls()).isEqualTo(1);
        assertThat(calls("zulu dune")).hasSize(1);
        assertThat(inserted.summary().allGenerated()).isTrue();
        assertThat(Files.readAllBytes(output(csv).resolve("row-4.mp4"))).isEqualTo(alpha);
    }

    @Test
    void twoRowsAskingForTheSameVideoPayOnceAndTheSecondGetsACopy() throws Exception {
        stubUniqueVideos("twin");
        Path csv = csv("id,prompt\nleft,twin peaks\nright,twin peaks\n");

        var result = launcher.run(new CampaignRun(campaign(csv), false, false, 2, 0));

        assertThat(paidCalls("twin")).isEqualTo(1);
        assertThat(result.summary().allGenerated()).isTrue();
        assertThat(output(csv).resolve("right.mp4")).hasSameBinaryContentAs(output(csv).resolve("left.mp4"));
    }

    @Test
    void aRemakePaysForOneNewTakeAndKeepsTheEarlierVideo() throws Exception {
        stubUniqueVideos("canyon");
        Path csv = csv("id,prompt\nc,red canyon\nd,deep canyon\n");
        run(csv);
        byte[] first = Files.readAllBytes(output(csv).resolve("c.mp4"));
        SERVER.resetRequests();

        var remade = launcher.run(new CampaignRun(campaign(csv), false, false, 1, 0).withRemake(List.of("C")));

        assertThat(calls("red canyon")).hasSize(1);
        assertThat(calls("deep canyon")).isEmpty();
        assertThat(remade.summary().allGenerated()).isTrue();
        assertThat(output(csv).resolve("c.take1.mp4")).hasBinaryContent(first);
        assertThat(Files.readAllBytes(output(csv).resolve("c.mp4"))).isNotEqualTo(first);
        assertThat(manifest(csv).get(1)).startsWith("c,1,GENERATED,c.mp4").contains(",2,");
        assertThat(ledger.latest(endpoint(), fingerprintOf(campaign(csv), "c"))).hasValueSatisfying(video -> {
            assertThat(video.key().take()).isEqualTo(2);
            assertThat(video.state()).isEqualTo(LedgerState.PAID);
        });

        SERVER.resetRequests();
        run(csv); // the same campaign again without --remake: the new take is its video, nothing is paid
        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(Files.readAllBytes(output(csv).resolve("c.mp4"))).isNotEqualTo(first);
    }

    @Test
    void aMisspeltRemakeIdIsAnErrorNamingItAndNothingIsPaid() throws Exception {
        stubUniqueVideos("ridge");
        Path csv = csv("id,prompt\nr,red ridge\n");

        assertThatThrownBy(() -> launcher.run(new CampaignRun(campaign(csv), false, false, 1, 0).withRemake(List.of("rr"))))
                .isInstanceOf(CampaignFileException.class).hasMessageContaining("--remake names an id no row has: rr");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void aVideoOnAnotherMachinesDiskIsNamedWhereItIsNotPaidAgain() throws Exception {
        stubUniqueVideos("island");
        Path csv = csv("id,prompt\ni,lone island\n");
        run(csv);
        LedgerEntry paid = ledger.latest(endpoint(), fingerprintOf(campaign(csv), "i")).orElseThrow();
        jdbcTemplate.update("UPDATE kb_video SET host = 'other-machine', file_path = '/mnt/elsewhere/i.mp4' WHERE request_hash = ?",
                paid.key().requestHash());
        SERVER.resetRequests();
        listen();

        Campaign elsewhere = new CampaignLoader(folder.resolve("x")).load(csv, folder.resolve("second-output"));
        var result = launcher.run(new CampaignRun(elsewhere, false, false, 1, 0));

        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(result.summary().count(VideoStatus.GENERATED)).isEqualTo(1);
        assertThat(result.summary().elsewhere()).containsExactly("other-machine:/mnt/elsewhere/i.mp4");
        assertThat(Files.readAllLines(folder.resolve("second-output/manifest.csv")).get(1))
                .startsWith("i,1,GENERATED,other-machine:/mnt/elsewhere/i.mp4");
        assertThat(said).anyMatch(line -> line.startsWith("i: made earlier for campaign; it is at other-machine:/mnt/elsewhere/i.mp4"));
    }

    @Test
    void simulatedVideosNeverStandInForRealOnes() throws Exception {
        stubUniqueVideos("lagoon");
        Path csv = csv("id,prompt\nl,blue lagoon\n");
        launcher.run(new CampaignRun(campaign(csv), true, false, 1, 0)); // the built-in simulator
        assertThat(WireMockApi.allCalls()).isZero();

        var real = run(csv);

        assertThat(paidCalls("lagoon")).isEqualTo(1);
        assertThat(real.summary().allGenerated()).isTrue();
    }

    @Test
    void aV2RunAndAV1RunOfTheSameRequestShareTheVideo() throws Exception {
        stubUniqueVideos("orchard");
        Path csv = csv("id,prompt\no,old orchard\n");
        run(csv);
        SERVER.resetRequests();

        var v2 = launcher.run(new CampaignRun(campaign(csv), false, false, 1, 0, Api.V2, null));

        assertThat(WireMockApi.allCalls()).isZero();
        assertThat(v2.summary().allGenerated()).isTrue();
    }

    private void listen() {
        progress.listen(new RunProgress() {
            @Override
            public void reused(String id, int row, Placement placement) {
                String what = switch (placement.kind()) {
                    case COPIED -> "made earlier for " + placement.madeFor() + "; copied, not paid again";
                    case ELSEWHERE -> "made earlier for " + placement.madeFor() + "; it is at " + placement.elsewhere();
                    default -> placement.kind().name();
                };
                said.add(id + ": " + what);
            }
        });
    }

    /** Each call answers a video of its own bytes, so a test can tell which video is where. */
    private static void stubUniqueVideos(String fragment) {
        SERVER.stubFor(generate(fragment).willReturn(WireMockApi.uniqueVideo()));
    }

    private static boolean sameFile(Path a, Path b) throws Exception {
        Object keyA = Files.readAttributes(a, BasicFileAttributes.class).fileKey();
        Object keyB = Files.readAttributes(b, BasicFileAttributes.class).fileKey();
        return keyA != null && keyA.equals(keyB);
    }
}
