package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignLoaderTest {

    @TempDir
    Path work;

    private CampaignLoader loader;
    private Path jobs;

    @BeforeEach
    void setUp() throws IOException {
        loader = new CampaignLoader(work);
        jobs = Files.createDirectories(work.resolve("jobs"));
        Files.createDirectories(work.resolve("data"));
        Files.writeString(work.resolve("data/spring.csv"), "prompt\na cat\n");
    }

    private Path job(String yaml) throws IOException {
        return Files.writeString(jobs.resolve("spring-launch.yml"), yaml);
    }

    @Test
    void csvPathIsItsOwnCampaignWithDefaultOutputUnderTheWorkingDirectory() {
        Campaign campaign = loader.load(Path.of("data/spring.csv"), null);

        assertThat(campaign.name()).isEqualTo("spring");
        assertThat(campaign.source()).isEqualTo(work.resolve("data/spring.csv"));
        assertThat(campaign.csv()).isEqualTo(work.resolve("data/spring.csv"));
        assertThat(campaign.output()).isEqualTo(work.resolve("out/spring"));
        assertThat(campaign.defaults()).isEmpty();
        assertThat(campaign.client()).isEqualTo(ClientOptions.NONE);
    }

    @Test
    void jobFileResolvesInputAndOutputAgainstItsOwnFolder() throws IOException {
        job("""
                input: ../data/spring.csv
                output: ../videos/spring
                """);

        Campaign campaign = loader.load(Path.of("jobs/spring-launch.yml"), null);

        assertThat(campaign.name()).isEqualTo("spring-launch");
        assertThat(campaign.source()).isEqualTo(jobs.resolve("spring-launch.yml"));
        assertThat(campaign.csv()).isEqualTo(work.resolve("data/spring.csv"));
        assertThat(campaign.output()).isEqualTo(work.resolve("videos/spring"));
        assertThat(campaign.csvFolder()).isEqualTo(work.resolve("data"));
    }

    @Test
    void jobFileWithoutOutputUsesOutUnderTheWorkingDirectoryNamedAfterTheJobFile() throws IOException {
        job("input: ../data/spring.csv\n");

        Campaign campaign = loader.load(Path.of("jobs/spring-launch.yml"), null);

        assertThat(campaign.output()).isEqualTo(work.resolve("out/spring-launch"));
    }

    @Test
    void defaultsBecomeStringsEvenWhenYamlReadsNumbers() throws IOException {
        job("""
                input: ../data/spring.csv
                defaults:
                  duration: 5
                  cfg_scale: 0.5
                  mode: pro
                  negative_prompt: "no rain"
                """);

        Campaign campaign = loader.load(Path.of("jobs/spring-launch.yml"), null);

        assertThat(campaign.defaults()).isEqualTo(Map.of(
                Columns.DURATION, "5",
                Columns.CFG_SCALE, "0.5",
                Columns.MODE, "pro",
                Columns.NEGATIVE_PROMPT, "no rain"));
    }

    @Test
    void quotedAspectRatioDefaultIsKept() throws IOException {
        job("""
                input: ../data/spring.csv
                defaults:
                  aspect_ratio: "9:16"
                """);

        assertThat(loader.load(Path.of("jobs/spring-launch.yml"), null).defaults())
                .containsEntry(Columns.ASPECT_RATIO, "9:16");
    }

    @Test
    void unquotedAspectRatioDefaultIsKeptAsWritten() throws IOException {
        job("""
                input: ../data/spring.csv
                defaults:
                  aspect_ratio: 16:9
                """);

        assertThat(loader.load(Path.of("jobs/spring-launch.yml"), null).defaults())
                .containsEntry(Columns.ASPECT_RATIO, "16:9");
    }

    @Test
    void readsClientSection() throws IOException {
        job("""
                input: ../data/spring.csv
                client:
                  max-attempts: 6
                  base-delay: 2s
                  connect-timeout: 500ms
                  response-timeout: 5m
                """);

        ClientOptions client = loader.load(Path.of("jobs/spring-launch.yml"), null).client();

        assertThat(client).isEqualTo(new ClientOptions(6, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMinutes(5)));
    }

    @Test
    void outputOverrideWinsOverJobFile() throws IOException {
        job("""
                input: ../data/spring.csv
                output: ../videos/spring
                """);

        Campaign campaign = loader.load(Path.of("jobs/spring-launch.yml"), Path.of("elsewhere/x"));

        assertThat(campaign.output()).isEqualTo(work.resolve("elsewhere/x"));
    }

    @Test
    void outputOverrideWinsOverDefaultForCsv() {
        Campaign campaign = loader.load(Path.of("data/spring.csv"), Path.of("tmp/../videos"));

        assertThat(campaign.output()).isEqualTo(work.resolve("videos"));
    }

    @Test
    void unknownTopLevelKeyIsAnError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                ouput: ../videos
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("unknown setting 'ouput'");
    }

    @Test
    void unknownClientKeyIsAnError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                client:
                  retries: 3
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("unknown setting 'client.retries'");
    }

    @Test
    void maxAttemptsMustBeAWholeNumberOfAtLeastOne() throws IOException {
        Path zero = job("""
                input: ../data/spring.csv
                client:
                  max-attempts: 0
                """);
        assertThatThrownBy(() -> loader.load(zero, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'client.max-attempts'")
                .hasMessageContaining("got '0'");

        Path text = job("""
                input: ../data/spring.csv
                client:
                  max-attempts: three
                """);
        assertThatThrownBy(() -> loader.load(text, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("got 'three'");
    }

    @Test
    void badDurationIsAnError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                client:
                  base-delay: soon
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'client.base-delay' must be a positive duration")
                .hasMessageContaining("got 'soon'");
    }

    @Test
    void negativeDurationIsAnError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                client:
                  response-timeout: -5s
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'client.response-timeout'");
    }

    @Test
    void promptIsNotADefaultableColumn() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                defaults:
                  prompt: a cat
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'defaults.prompt' is not a column with a default");
    }

    @Test
    void missingInputIsAnError() throws IOException {
        Path file = job("output: ../videos\n");

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ": 'input' must name the campaign CSV (relative to the job file)");
    }

    @Test
    void inputFileNotFoundNamesTheCsv() throws IOException {
        Path file = job("input: spring.csv\n");

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(jobs.resolve("spring.csv") + ": no such file");
    }

    @Test
    void missingCsvIsAnError() {
        assertThatThrownBy(() -> loader.load(Path.of("nothing.csv"), null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(work.resolve("nothing.csv") + ": no such file");
    }

    @Test
    void missingJobFileIsAnError() {
        assertThatThrownBy(() -> loader.load(Path.of("jobs/nothing.yml"), null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(jobs.resolve("nothing.yml") + ": no such file");
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                defaults:
                  mode: [pro
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line ")
                .hasMessageContaining("is not valid YAML");
    }

    @Test
    void emptyJobFileIsAnError() throws IOException {
        Path file = job("");

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("is empty");
    }

    @Test
    void readsSheetAndTemplates() throws IOException {
        job("""
                input: ../data/spring.csv
                sheet: Spring Launch
                prompt-template: "A {colour} {product} on a beach, {{4K}}"
                negative-prompt-template: >
                  no {weather},
                  no text
                """);

        Campaign campaign = loader.load(Path.of("jobs/spring-launch.yml"), null);

        assertThat(campaign.sheet()).isEqualTo("Spring Launch");
        assertThat(campaign.promptTemplate().text()).isEqualTo("A {colour} {product} on a beach, {{4K}}");
        assertThat(campaign.promptTemplate().columns()).containsExactly("colour", "product");
        assertThat(campaign.negativePromptTemplate().columns()).containsExactly("weather");
        assertThat(campaign.withOutput(work.resolve("elsewhere")).promptTemplate()).isSameAs(campaign.promptTemplate());
        assertThat(campaign.withOutput(work.resolve("elsewhere")).sheet()).isEqualTo("Spring Launch");
    }

    @Test
    void aCsvOrAJobFileWithoutThemHasNoSheetOrTemplates() throws IOException {
        job("input: ../data/spring.csv\n");

        for (Campaign campaign : new Campaign[] {loader.load(Path.of("jobs/spring-launch.yml"), null), loader.load(Path.of("data/spring.csv"), null)}) {
            assertThat(campaign.sheet()).isNull();
            assertThat(campaign.promptTemplate()).isNull();
            assertThat(campaign.negativePromptTemplate()).isNull();
        }
    }

    @Test
    void aBrokenTemplateIsAJobFileError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                prompt-template: "A {colour product"
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ": 'prompt-template' the '{' at character 3 is never closed (write {{ for a literal brace)");
    }

    /** YAML reads an unquoted {product} as a mapping: the message says to quote it. */
    @Test
    void anUnquotedTemplateStartingWithABraceSaysToQuoteIt() throws IOException {
        Path mapping = job("""
                input: ../data/spring.csv
                prompt-template: {product}
                """);
        assertThatThrownBy(() -> loader.load(mapping, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'prompt-template' must be text; quote it when it starts with a brace");

        Path invalid = job("""
                input: ../data/spring.csv
                prompt-template: {product} on a beach
                """);
        assertThatThrownBy(() -> loader.load(invalid, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(invalid + ", line ")
                .hasMessageContaining("is not valid YAML")
                .hasMessageContaining("quote a template that starts with a brace");
    }

    @Test
    void aBlankSheetIsAnError() throws IOException {
        Path file = job("""
                input: ../data/spring.csv
                sheet: "  "
                """);

        assertThatThrownBy(() -> loader.load(file, null))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'sheet' must name a sheet");
    }
}
