package io.klingbatch.job;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.calls;
import static io.klingbatch.WireMockApi.error;
import static io.klingbatch.WireMockApi.generate;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.klingbatch.CampaignTestSupport;
import io.klingbatch.WireMockApi;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.job.RunResult;
import io.klingbatch.output.VideoStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Several formats and takes per row: each video its own ledger entry, its own file, its own manifest line, paid once. */
class FanOutTest extends CampaignTestSupport {

    @Test
    void everyFormatOfTheJobFileIsAVideoOfItsOwn() throws Exception {
        SERVER.stubFor(generate("sneaker").willReturn(WireMockApi.uniqueVideo()));
        write("launch.csv", "id,prompt\nshoe,a sneaker on a rooftop\n");
        Path job = write("launch.yml", "input: launch.csv\nformats: [16:9, 9:16, 1:1]\n");

        RunResult result = run(job);

        assertThat(result.summary().allGenerated()).isTrue();
        assertThat(calls("sneaker")).hasSize(3);
        for (String format : List.of("16:9", "9:16", "1:1")) {
            SERVER.verify(1, postRequestedFor(urlEqualTo(WireMockApi.GENERATE))
                    .withRequestBody(WireMock.matchingJsonPath("$.aspect_ratio", WireMock.equalTo(format))));
        }
        Path out = output(job);
        assertThat(out.resolve("shoe-16x9.mp4")).exists();
        assertThat(out.resolve("shoe-9x16.mp4")).exists();
        assertThat(out.resolve("shoe-1x1.mp4")).exists();
        List<String> manifest = manifest(job);
        assertThat(manifest).hasSize(4);
        assertThat(manifest.get(2)).startsWith("shoe,1,GENERATED,shoe-9x16.mp4").endsWith(",9:16,1,");

        JsonNode metadata = JsonMapper.builder().build().readTree(out.resolve("shoe-9x16.json").toFile());
        assertThat(metadata.path("id").asString()).isEqualTo("shoe");
        assertThat(metadata.path("row").asInt()).isEqualTo(1);
        assertThat(metadata.path("format").asString()).isEqualTo("9:16");
        assertThat(metadata.path("request").path("prompt").asString()).isEqualTo("a sneaker on a rooftop");
        assertThat(metadata.path("request").path("aspect_ratio").asString()).isEqualTo("9:16");
        assertThat(metadata.path("request_id").asString()).startsWith("req-");
        assertThat(metadata.path("sha256").asString()).hasSize(64);
        assertThat(metadata.path("bytes").asLong()).isEqualTo(Files.size(out.resolve("shoe-9x16.mp4")));
        assertThat(metadata.path("campaign").asString()).isEqualTo("launch");
        assertThat(metadata.path("cost").decimalValue()).isEqualByComparingTo("0.88");
    }

    @Test
    void anAspectRatiosCellFansOutOneRowAndARowWithAnImageMakesOneVideo() throws Exception {
        SERVER.stubFor(generate("coast").willReturn(WireMockApi.uniqueVideo()));
        Files.copy(Path.of("samples/product.png"), folder.resolve("product.png"));
        Path csv = csv("id,prompt,aspect_ratios,image_url\nc,coast at dawn,16:9|9:16,\ni,coast product,,product.png\n");
        Path job = write("coast.yml", "input: campaign.csv\nformats: [16:9, 1:1]\n");

        RunResult result = run(job);

        assertThat(result.summary().allGenerated()).isTrue();
        assertThat(calls("coast at dawn")).hasSize(2);
        assertThat(calls("coast product")).as("with an image the API follows its shape: one video").hasSize(1);
        assertThat(output(job).resolve("c-9x16.mp4")).exists();
        assertThat(output(job).resolve("i.mp4")).exists();
        assertThat(manifest(job)).anySatisfy(line -> assertThat(line).startsWith("i,2,GENERATED,i.mp4").contains(",image,1,"));
    }

    @Test
    void severalTakesAreSeveralPaidCallsAndRaisingThemLaterPaysOnlyForTheNewOnes() throws Exception {
        SERVER.stubFor(generate("lantern").willReturn(WireMockApi.uniqueVideo()));
        write("takes.csv", "id,prompt\nl,a paper lantern\n");
        Path job = write("takes.yml", "input: takes.csv\nformats: [16:9, 9:16]\ntakes: 2\n");

        run(job);
        assertThat(calls("lantern")).hasSize(4);
        assertThat(output(job).resolve("l-16x9.mp4")).exists();
        assertThat(output(job).resolve("l-16x9-take2.mp4")).exists();
        assertThat(Files.readAllBytes(output(job).resolve("l-16x9.mp4"))).isNotEqualTo(Files.readAllBytes(output(job).resolve("l-16x9-take2.mp4")));

        write("takes.yml", "input: takes.csv\nformats: [16:9, 9:16]\ntakes: 3\n");
        RunResult raised = run(job);

        assertThat(calls("lantern")).as("two new takes, not six").hasSize(6);
        assertThat(raised.summary().count(VideoStatus.GENERATED)).isEqualTo(6);
        assertThat(output(job).resolve("l-9x16-take3.mp4")).exists();
        assertThat(manifest(job)).anySatisfy(line -> assertThat(line).startsWith("l,1,GENERATED,l-9x16-take3.mp4").endsWith(",9:16,3,"));
    }

    @Test
    void aStopInTheMiddleOfARowsVideosPaysEachVideoOnceAfterTheTopUp() throws Exception {
        SERVER.stubFor(generate("harvest").willReturn(WireMockApi.uniqueVideo()));
        SERVER.stubFor(generate("harvest").withRequestBody(WireMock.matchingJsonPath("$.aspect_ratio", WireMock.equalTo("9:16")))
                .willReturn(error(406, "Insufficient credits")));
        write("harvest.csv", "id,prompt\nh,harvest moon\n");
        Path job = write("harvest.yml", "input: harvest.csv\nformats: [16:9, 9:16, 1:1]\n");

        RunResult stopped = run(job);
        assertThat(stopped.execution().getStatus().isUnsuccessful() || stopped.execution().getStatus().name().equals("STOPPED")).isTrue();
        assertThat(WireMockApi.paidCalls("harvest")).isEqualTo(1);

        SERVER.resetAll();
        SERVER.stubFor(generate("harvest").willReturn(WireMockApi.uniqueVideo()));
        RunResult resumed = run(job);

        assertThat(resumed.summary().allGenerated()).isTrue();
        assertThat(WireMockApi.paidCalls("harvest")).as("9:16 and 1:1 now; 16:9 was paid before the stop").isEqualTo(2);
        SERVER.verify(0, postRequestedFor(urlEqualTo(WireMockApi.GENERATE))
                .withRequestBody(WireMock.matchingJsonPath("$.aspect_ratio", WireMock.equalTo("16:9"))));
    }

    @Test
    void twoVideosThatWouldShareAFileNameAreRejectedBeforeAnythingIsPaid() throws Exception {
        SERVER.stubFor(generate("plaza").willReturn(WireMockApi.uniqueVideo()));
        write("names.csv", "id,prompt,duration\nnoon,plaza at noon,10\ndusk,plaza at dusk,10\n");
        Path job = write("names.yml", "input: names.csv\nname-pattern: \"plaza-{duration}\"\n");

        assertThat(checks.scan(campaign(job), row -> { })).isEmpty();
        RunResult result = run(job);

        assertThat(result.summary().count(VideoStatus.REJECTED)).isEqualTo(1);
        assertThat(calls("plaza at dusk")).isEmpty();
        assertThat(manifest(job).get(2)).startsWith("dusk,2,REJECTED").contains("'plaza-10' is also the name of a video of row 1;");
        assertThat(output(job).resolve("plaza-10.mp4")).exists();
    }

    @Test
    void aTemplatedCampaignNamesEachFormatFromItsOwnColumns() throws Exception {
        SERVER.stubFor(generate("Trail Runner").willReturn(WireMockApi.uniqueVideo()));
        write("launch.csv", "id,Product,City,mood\nr1,Trail Runner,Lisbon,sunny\nr2,Trail Runner,Oslo,\n");
        Path job = write("launch.yml", "input: launch.csv\nprompt-template: \"{product} on a street in {city}, {mood}\"\n"
                + "formats: [16:9, 9:16]\nname-pattern: \"{product}-{city}\"\n");

        assertThat(checks.scan(campaign(job), row -> { })).as("the template's and the name's columns are not unknown").isEmpty();
        RunResult result = run(job);

        assertThat(calls("Trail Runner on a street in Lisbon, sunny")).hasSize(2);
        assertThat(output(job).resolve("Trail-Runner-Lisbon-16x9.mp4")).exists();
        assertThat(output(job).resolve("Trail-Runner-Lisbon-9x16.mp4")).exists();
        assertThat(calls("Oslo")).as("an empty {mood} rejects the row before it is paid").isEmpty();
        assertThat(result.summary().count(VideoStatus.REJECTED)).isEqualTo(1);
        assertThat(manifest(job)).anySatisfy(line -> assertThat(line).startsWith("r2,2,REJECTED").contains("mood"));
    }

    @Test
    void aNamePatternColumnTheFileLacksIsAJobFileErrorBeforeAnythingIsRead() throws Exception {
        write("launch.csv", "id,prompt,product\nr1,a shoe,Trail Runner\n");
        Path job = write("launch.yml", "input: launch.csv\nname-pattern: \"{product}-{cty}-{format}\"\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checks.scan(campaign(job), row -> { }))
                .hasMessageContaining("launch.yml").hasMessageContaining("'name-pattern' uses {cty}").hasMessageContaining("no column 'cty'");
    }

    @Test
    void aRemakeOfAFannedOutRowMakesOneNewTakeOfEachFormat() throws Exception {
        SERVER.stubFor(generate("bridge").willReturn(WireMockApi.uniqueVideo()));
        write("bridge.csv", "id,prompt\nb,bridge in fog\n");
        Path job = write("bridge.yml", "input: bridge.csv\nformats: [16:9, 9:16]\n");
        run(job);

        launcher.run(new CampaignRun(campaign(job), false, false, 1, 0).withRemake(List.of("b")));

        assertThat(calls("bridge")).hasSize(4);
        assertThat(output(job).resolve("b-16x9.take1.mp4")).exists();
        assertThat(output(job).resolve("b-16x9.mp4")).exists();
        assertThat(manifest(job)).anySatisfy(line -> assertThat(line).startsWith("b,1,GENERATED,b-9x16.mp4").endsWith(",9:16,2,"));
    }
}
