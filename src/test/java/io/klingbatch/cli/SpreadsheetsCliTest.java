package io.klingbatch.cli;

import static io.klingbatch.WireMockApi.SERVER;
import static io.klingbatch.WireMockApi.generate;
import static io.klingbatch.WireMockApi.video;
import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.WireMockApi;
import io.klingbatch.campaign.Workbooks;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

/** Spreadsheets as people export them, and templates, through the command line: what validate says, what run sends. */
class SpreadsheetsCliTest extends CliTestSupport {


    /** A workbook whose second sheet holds the campaign, as a marketing team keeps it: product, colour, a number, a date. */
    private void workbook() throws Exception {
        Map<String, Consumer<Worksheet>> sheets = new LinkedHashMap<>();
        sheets.put("Read me", sheet -> sheet.value(0, 0, "The campaign is on the next sheet"));
        sheets.put("Spring", sheet -> {
            String[] header = {"ID", "Product", "Colour", "Duration", "Launch"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            Object[][] rows = {{"shoe", "sneaker", "red", 5}, {"hat", "sun hat", "straw", 10}, {"bag", "tote bag", "green", 5},
                    {"sock", "sock", "striped", 5}};
            for (int r = 0; r < rows.length; r++) {
                sheet.value(r + 1, 0, (String) rows[r][0]);
                sheet.value(r + 1, 1, (String) rows[r][1]);
                sheet.value(r + 1, 2, (String) rows[r][2]);
                sheet.value(r + 1, 3, (Integer) rows[r][3]);
                sheet.value(r + 1, 4, java.time.LocalDate.of(2025, 3, r + 1));
                sheet.style(r + 1, 4).format("d mmm yyyy").set();
            }
        });
        Workbooks.write(folder.resolve("spring.xlsx"), sheets);
        Files.writeString(folder.resolve("spring.yml"), """
                input: spring.xlsx
                sheet: Spring
                prompt-template: "A {colour} {product} on a beach, launching {launch}"
                """);
    }

    @Test
    void validateShowsTheFirstThreeFilledPromptsOfAWorkbooksSheet() throws Exception {
        workbook();

        assertThat(cli("validate", "spring.yml")).isZero();

        assertThat(out.toString()).contains("""
                The first valid rows of spring.xlsx with prompt-template filled, as they will be sent:
                  row 1 (id shoe): prompt: A red sneaker on a beach, launching 2025-03-01
                  row 2 (id hat): prompt: A straw sun hat on a beach, launching 2025-03-02
                  row 3 (id bag): prompt: A green tote bag on a beach, launching 2025-03-03
                """).doesNotContain("sock on a beach").contains("All 4 rows of spring.xlsx are valid.");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    /** The run reads the same sheet, fills the same template, and that text is what the API is paid for. */
    @Test
    void runSendsTheFilledPromptsFromTheNamedSheet() throws Exception {
        workbook();
        SERVER.stubFor(generate("on a beach").willReturn(video("req-beach")));

        assertThat(cli("run", "spring.yml")).isZero();

        assertThat(WireMockApi.paidCalls("A red sneaker on a beach, launching 2025-03-01")).isEqualTo(1);
        assertThat(WireMockApi.paidCalls("A striped sock on a beach, launching 2025-03-04")).isEqualTo(1);
        assertThat(WireMockApi.calls("\"duration\":\"10\"")).hasSize(1);
        assertThat(WireMockApi.allCalls()).isEqualTo(4);
        assertThat(Files.readAllLines(folder.resolve("out/spring/manifest.csv"))).filteredOn(line -> line.contains("GENERATED")).hasSize(4);
    }

    @Test
    void validateReadsExcelsWindowsCsvAndSaysSoOnce() throws Exception {
        Files.write(folder.resolve("campaign.csv"), "id;prompt;duration\r\ncafe;un café crème;5\r\nthe;un thé;10\r\n"
                .getBytes(Charset.forName("windows-1252")));

        assertThat(cli("validate", "campaign.csv")).isZero();

        String said = out.toString();
        assertThat(said).contains("campaign.csv, line 2: read as Windows-1252 (byte 0xE9 is not UTF-8); save as CSV UTF-8 to silence this.")
                .contains("All 2 rows of campaign.csv are valid.");
        assertThat(said.split("Windows-1252", -1)).hasSize(2);

        out.getBuffer().setLength(0);
        SERVER.stubFor(generate("un ").willReturn(WireMockApi.uniqueVideo()));
        assertThat(cli("run", "campaign.csv")).isZero();
        assertThat(out.toString()).as("run says it too, once").contains("read as Windows-1252 (byte 0xE9 is not UTF-8)");
        assertThat(out.toString().split("Windows-1252", -1)).hasSize(2);
        assertThat(WireMockApi.paidCalls("un caf\u00e9 cr\u00e8me")).isEqualTo(1);
    }

    /** Before: a warning, and every row paid at 16:9. Now: exit 2, nothing paid. */
    @Test
    void aMisspeltColumnStopsRunAndValidateWithExit2() throws Exception {
        csv("id,prompt,Aspect Ration\na,a cat,9:16\n");

        assertThat(cli("validate", "campaign.csv")).isEqualTo(2);
        assertThat(cli("run", "campaign.csv")).isEqualTo(2);

        assertThat(err.toString()).contains("campaign.csv, line 1: column 'Aspect Ration' (did you mean 'aspect_ratio'?) is not a column "
                + "kling-batch knows; rename it (nothing was sent)");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void aPlaceholderWithNoColumnStopsWithExit2NamingTheJobFile() throws Exception {
        csv("id,product\na,shoe\n");
        Path job = Files.writeString(folder.resolve("job.yml"), "input: campaign.csv\nprompt-template: \"a {colour} {product}\"\n");

        assertThat(cli("run", "job.yml")).isEqualTo(2);

        assertThat(err.toString()).contains(job + ": 'prompt-template' uses {colour}, but campaign.csv has no column 'colour'");
        assertThat(WireMockApi.allCalls()).isZero();
    }

    @Test
    void aRowWithAnEmptyPlaceholderIsRejectedNamingIt() throws Exception {
        csv("id,product,colour\na,shoe,red\nb,hat,\n");
        Files.writeString(folder.resolve("job.yml"), "input: campaign.csv\nprompt-template: \"a {Colour} {product}\"\n");

        assertThat(cli("validate", "job.yml")).isEqualTo(1);

        assertThat(out.toString()).contains("row 2 (id b, line 3): colour: is empty, but prompt-template needs it for {Colour}");
    }
}
