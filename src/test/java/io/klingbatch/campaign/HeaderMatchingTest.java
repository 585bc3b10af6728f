package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header names as people write them, and the typos that must not be ignored. */
class HeaderMatchingTest {

    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("campaign.csv"), content, StandardCharsets.UTF_8);
    }

    @Test
    void namesMatchIgnoringCaseSpacesAndHyphensForUnderscores() throws IOException {
        Path file = csv("""
                ID, Prompt ,Negative Prompt,CFG-Scale,Aspect  Ratio,image url,DURATION,Mode
                a,a cat,no rain,0.5,9:16,https://x.example/a.png,5,pro
                """);

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).isEmpty();
            PromptRow row = csv.next();
            assertThat(row.id()).isEqualTo("a");
            assertThat(row.cell(Columns.NEGATIVE_PROMPT)).isEqualTo("no rain");
            assertThat(row.cell(Columns.CFG_SCALE)).isEqualTo("0.5");
            assertThat(row.cell(Columns.ASPECT_RATIO)).isEqualTo("9:16");
            assertThat(row.cell(Columns.IMAGE_URL)).isEqualTo("https://x.example/a.png");
            assertThat(row.cell(Columns.DURATION)).isEqualTo("5");
            assertThat(row.cell(Columns.MODE)).isEqualTo("pro");
        }
    }

    @Test
    void normalizeTreatsEverySpellingOfASeparatorAlike() {
        assertThat(Columns.normalize("  Aspect Ratio ")).isEqualTo("aspect_ratio");
        assertThat(Columns.normalize("aspect-ratio")).isEqualTo("aspect_ratio");
        assertThat(Columns.normalize("Aspect _- Ratio")).isEqualTo("aspect_ratio");
        assertThat(Columns.normalize("Aspect\u00A0Ratio")).isEqualTo("aspect_ratio");
        assertThat(Columns.normalize("aspectratio")).isEqualTo("aspectratio");
    }

    @Test
    void twoSpellingsOfOneColumnAreNamedTwice() throws IOException {
        Path file = csv("prompt,Aspect Ratio,aspect_ratio\na,9:16,1:1\n");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ", line 1: the header names column 'aspect_ratio' twice");
    }

    /** Before: a warning, then every row paid at 16:9. */
    @Test
    void aNearMissOfAKnownColumnIsAnErrorNamingIt() throws IOException {
        Path file = csv("id,prompt,aspect_ration\na,a cat,9:16\n");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ", line 1: column 'aspect_ration' (did you mean 'aspect_ratio'?) is not a column kling-batch knows; "
                        + "rename it (nothing was sent)");
    }

    @Test
    void aMisspeltPromptIsNamedRatherThanMissing() throws IOException {
        Path file = csv("id,promt\na,a cat\n");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("column 'promt' (did you mean 'prompt'?)");
    }

    @Test
    void everyNearMissIsNamedAtOnce() throws IOException {
        Path file = csv("Promt,Duraton,Aspect Raito,cfgscale\na,5,1:1,0.5\n");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .hasMessageContaining("columns 'Promt' (did you mean 'prompt'?), 'Duraton' (did you mean 'duration'?), "
                        + "'Aspect Raito' (did you mean 'aspect_ratio'?), 'cfgscale' (did you mean 'cfg_scale'?) are not columns kling-batch knows");
    }

    /** Two edits for long names; one for short ones, so a column of one's own such as "mood" is not taken for "mode". */
    @Test
    void howNearIsNearDependsOnTheNamesLength() {
        assertThat(Header.distance("negative_prmpt", Columns.NEGATIVE_PROMPT, 2)).isEqualTo(1);
        assertThat(Header.distance("aspcet_ratio", Columns.ASPECT_RATIO, 2)).isEqualTo(1); // a swap is one edit
        assertThat(Header.distance("image_ur", Columns.IMAGE_URL, 2)).isEqualTo(1);
        assertThat(Header.distance("mood", Columns.MODE, 1)).isEqualTo(2);
        assertThat(Header.distance("style", Columns.PROMPT, 2)).isEqualTo(3);
    }

    @Test
    void columnsOfOnesOwnStayAWarning() throws IOException {
        Path file = csv("prompt,mood,product,image,ratio,ids,prompts 2\na cat,calm,shoe,x.png,wide,1,b\n");

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).containsExactly("mood", "product", "image", "ratio", "ids", "prompts 2");
            assertThat(csv.next().cell("product")).isEqualTo("shoe");
        }
    }

    /** "prompt_2" beside "prompt" is a column of its own, not a typo of the one already there. */
    @Test
    void aNearMissOfAColumnTheHeaderAlreadyHasIsAColumnOfItsOwn() throws IOException {
        Path file = csv("prompt,prompt_2,mode,modes\na cat,a dog,pro,x\n");

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).containsExactly("prompt_2", "modes");
        }
    }

    @Test
    void aNearMissThatATemplateUsesIsNotATypo() throws IOException {
        Path file = csv("prompt,model\na cat,T-800\n");
        Campaign campaign = new Campaign("c", dir.resolve("job.yml"), file, dir.resolve("out"), java.util.Map.of(), ClientOptions.NONE,
                RunOptions.NONE, false, VideoOptions.NONE, null, PromptTemplate.parse("prompt-template", "{prompt} with a {model}"), null, null, null);

        assertThatThrownBy(() -> CampaignCsv.open(file)).hasMessageContaining("'model' (did you mean 'mode'?)");
        try (CampaignCsv csv = CampaignCsv.open(campaign)) {
            assertThat(csv.unknownColumns()).isEmpty();
            assertThat(csv.next().cell("model")).isEqualTo("T-800");
        }
    }
}
