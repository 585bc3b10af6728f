package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateTest {

    @TempDir
    Path dir;

    private static String fill(String template, Map<String, String> cells, List<String> empty) {
        return PromptTemplate.parse("prompt-template", template).fill(column -> cells.getOrDefault(column, ""), empty::add);
    }

    @Test
    void fillsPlaceholdersFromAnyColumn() {
        String filled = fill("A {Colour} {product} on a beach, {Aspect Ratio}", Map.of("colour", "red", "product", "sneaker",
                "aspect_ratio", "9:16"), new ArrayList<>());

        assertThat(filled).isEqualTo("A red sneaker on a beach, 9:16");
    }

    @Test
    void doubledBracesAreLiteralBraces() {
        assertThat(fill("{{logo}} {product} }}{{", Map.of("product", "shoe"), new ArrayList<>())).isEqualTo("{logo} shoe }{");
        assertThat(fill("{{{product}}}", Map.of("product", "shoe"), new ArrayList<>())).isEqualTo("{shoe}");
        assertThat(PromptTemplate.parse("prompt-template", "{{not a placeholder}}").columns()).isEmpty();
    }

    @Test
    void anEmptyValueIsReportedOncePerColumnAndNothingIsFilled() {
        List<String> empty = new ArrayList<>();

        String filled = fill("{product} and {colour}, {colour} again", Map.of("product", "shoe"), empty);

        assertThat(filled).isNull();
        assertThat(empty).containsExactly("colour");
    }

    @Test
    void listsItsColumnsOnceInOrder() {
        PromptTemplate template = PromptTemplate.parse("prompt-template", "{b} {A} {b} {a}");

        assertThat(template.columns()).containsExactly("b", "a");
        assertThat(template.placeholder("a")).isEqualTo("{A}");
    }

    @Test
    void aTemplateWithoutPlaceholdersIsTheSameTextForEveryRow() {
        assertThat(fill("slow zoom in", Map.of(), new ArrayList<>())).isEqualTo("slow zoom in");
    }

    @Test
    void brokenTemplatesSayWhereAndHowToFixThem() {
        assertThatThrownBy(() -> PromptTemplate.parse("prompt-template", "a {product on a beach"))
                .hasMessage("the '{' at character 3 is never closed (write {{ for a literal brace)");
        assertThatThrownBy(() -> PromptTemplate.parse("prompt-template", "a {product {colour}"))
                .hasMessage("the '{' at character 3 is never closed (write {{ for a literal brace)");
        assertThatThrownBy(() -> PromptTemplate.parse("prompt-template", "a product} on a beach"))
                .hasMessage("the '}' at character 10 closes no placeholder (write }} for a literal brace)");
        assertThatThrownBy(() -> PromptTemplate.parse("prompt-template", "a { } on a beach"))
                .hasMessage("the '{}' at character 3 names no column (write {{}} for literal braces)");
        assertThatThrownBy(() -> PromptTemplate.parse("prompt-template", "  "))
                .hasMessageStartingWith("is empty");
    }

    /** A placeholder naming no column is a job file error (exit 2), found when the header is read, naming the job file. */
    @Test
    void aPlaceholderWithNoSuchColumnIsAJobFileError() throws IOException {
        Path csv = Files.writeString(dir.resolve("campaign.csv"), "id,product,color\na,shoe,red\n");
        Path job = Files.writeString(dir.resolve("job.yml"), """
                input: campaign.csv
                prompt-template: "A {colour} {product}"
                """);
        Campaign campaign = new CampaignLoader(dir).load(job, null);

        assertThatThrownBy(() -> CampaignCsv.open(campaign))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(job + ": 'prompt-template' uses {colour}, but campaign.csv has no column 'colour' (did you mean {color}?) "
                        + "(columns: id, product, color)");
        assertThat(csv).exists();
    }

    @Test
    void aNegativeTemplatesPlaceholderIsCheckedToo() throws IOException {
        Files.writeString(dir.resolve("campaign.csv"), "prompt\na cat\n");
        Path job = Files.writeString(dir.resolve("job.yml"), """
                input: campaign.csv
                negative-prompt-template: "no {weather}"
                """);

        assertThatThrownBy(() -> CampaignCsv.open(new CampaignLoader(dir).load(job, null)))
                .hasMessageStartingWith(job + ": 'negative-prompt-template' uses {weather}, but campaign.csv has no column 'weather' (columns: prompt)");
    }

    /** With a prompt-template, the prompt comes from the template: the CSV needs no prompt column. */
    @Test
    void aPromptTemplateNeedsNoPromptColumn() throws IOException {
        Files.writeString(dir.resolve("campaign.csv"), "id,product\na,shoe\n");
        Path job = Files.writeString(dir.resolve("job.yml"), """
                input: campaign.csv
                prompt-template: "a {product} on a beach"
                """);

        try (CampaignCsv csv = CampaignCsv.open(new CampaignLoader(dir).load(job, null))) {
            assertThat(csv.unknownColumns()).isEmpty();
            assertThat(csv.next().cell("product")).isEqualTo("shoe");
        }
        assertThatThrownBy(() -> CampaignCsv.open(dir.resolve("campaign.csv"))).hasMessageContaining("no 'prompt' column");
    }
}
