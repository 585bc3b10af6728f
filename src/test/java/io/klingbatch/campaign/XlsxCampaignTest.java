package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .xlsx campaigns: cells as a person sees them, rows named as the sheet numbers them, the job file's sheet. */
class XlsxCampaignTest {

    @TempDir
    Path dir;

    private Path xlsx() {
        return dir.resolve("campaign.xlsx");
    }

    private static List<PromptRow> readAll(CampaignCsv csv) {
        List<PromptRow> rows = new ArrayList<>();
        for (PromptRow row = csv.next(); row != null; row = csv.next()) {
            rows.add(row);
        }
        return rows;
    }

    private static List<PromptRow> readAll(Path file) {
        try (CampaignCsv csv = CampaignCsv.open(file)) {
            return readAll(csv);
        }
    }

    private Campaign campaign(Path file, String sheet) throws IOException {
        Path job = Files.writeString(dir.resolve("job.yml"), "input: " + file.getFileName() + (sheet == null ? "" : "\nsheet: " + sheet) + "\n");
        return new CampaignLoader(dir).load(job, null);
    }

    @Test
    void numberCellsBecomeTheirPlainText() throws IOException {
        Workbooks.write(xlsx(), sheet -> {
            String[] header = {"id", "prompt", "duration", "cfg_scale", "big", "sum", "negative"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            sheet.value(1, 0, 7);               // an id typed as a number
            sheet.value(1, 1, "a cat");
            sheet.value(1, 2, 5.0);             // typed 5, stored as a double
            sheet.value(1, 3, 0.7);
            sheet.value(1, 4, 1e20);
            sheet.value(1, 5, 0.1 + 0.2);       // 0.30000000000000004: Excel shows 0.3
            sheet.value(1, 6, new BigDecimal("-12.50"));
        });

        assertThat(readAll(xlsx())).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo("7");
            assertThat(row.cell(Columns.DURATION)).isEqualTo("5");
            assertThat(row.cell(Columns.CFG_SCALE)).isEqualTo("0.7");
            assertThat(row.cell("big")).isEqualTo("100000000000000000000");
            assertThat(row.cell("sum")).isEqualTo("0.3");
            assertThat(row.cell("negative")).isEqualTo("-12.5");
        });
    }

    @Test
    void dateCellsBecomeIso() throws IOException {
        Workbooks.write(xlsx(), sheet -> {
            sheet.value(0, 0, "prompt");
            sheet.value(0, 1, "launch");
            sheet.value(0, 2, "local");
            sheet.value(0, 3, "at");
            sheet.value(0, 4, "time");
            sheet.value(1, 0, "a launch");
            sheet.value(1, 1, LocalDate.of(2025, 3, 1));
            sheet.style(1, 1).format("yyyy-mm-dd").set();
            sheet.value(1, 2, LocalDate.of(2025, 12, 24));
            sheet.style(1, 2).format("[$-407]d. mmmm yyyy").set();  // shown "24. Dezember 2025"
            sheet.value(1, 3, LocalDateTime.of(2025, 3, 1, 9, 30));
            sheet.style(1, 3).format("dd/mm/yyyy hh:mm").set();
            sheet.value(1, 4, LocalDateTime.of(1899, 12, 31, 18, 45, 10).toLocalTime().toSecondOfDay() / 86400.0);
            sheet.style(1, 4).format("hh:mm:ss").set();
        });

        assertThat(readAll(xlsx())).singleElement().satisfies(row -> {
            assertThat(row.cell("launch")).isEqualTo("2025-03-01");
            assertThat(row.cell("local")).isEqualTo("2025-12-24");
            assertThat(row.cell("at")).isEqualTo("2025-03-01T09:30");
            assertThat(row.cell("time")).isEqualTo("18:45:10");
        });
    }

    @Test
    void formatsThatLookLikeDatesOnlyInTheirDecorationStayNumbers() {
        assertThat(XlsxRecords.dateKind(0, "General")).isEqualTo(XlsxRecords.DateKind.NONE);
        assertThat(XlsxRecords.dateKind(164, "\"days: \"0")).isEqualTo(XlsxRecords.DateKind.NONE);
        assertThat(XlsxRecords.dateKind(165, "[Red]#,##0.00;[Blue]-#,##0.00")).isEqualTo(XlsxRecords.DateKind.NONE);
        assertThat(XlsxRecords.dateKind(166, "0.00\\d")).isEqualTo(XlsxRecords.DateKind.NONE);
        assertThat(XlsxRecords.dateKind(14, "mm-dd-yy")).isEqualTo(XlsxRecords.DateKind.DATE);
        assertThat(XlsxRecords.dateKind(46, "[h]:mm:ss")).isEqualTo(XlsxRecords.DateKind.TIME);
        assertThat(XlsxRecords.dateKind(31, null)).isEqualTo(XlsxRecords.DateKind.DATE);
    }

    /** Missing cells, blank rows and cells only formatted: empty, skipped, and not cells of the row. */
    @Test
    void emptyCellsAreEmptyAndBlankRowsAreSkippedKeepingTheSheetsRowNumbers() throws IOException {
        Workbooks.write(xlsx(), sheet -> {
            sheet.value(0, 0, "id");
            sheet.value(0, 1, "prompt");
            sheet.value(0, 2, "duration");
            sheet.value(1, 0, "a");
            sheet.value(1, 1, "first");       // no duration cell at all
            sheet.value(4, 1, "second");      // rows 3 and 4 of the sheet are empty; no id cell
            sheet.value(4, 2, "10");
            sheet.style(4, 5).fillColor("FF0000").set(); // a coloured cell right of the data, nothing in it
            sheet.value(5, 0, "b");
            sheet.value(5, 1, "multi\r\nline");
            sheet.value(5, 2, Boolean.TRUE);
        });

        List<PromptRow> rows = readAll(xlsx());

        assertThat(rows).extracting(PromptRow::id).containsExactly("a", "row-2", "b");
        assertThat(rows).extracting(PromptRow::row).containsExactly(1, 2, 3);
        assertThat(rows).extracting(PromptRow::line).containsExactly(2, 5, 6);
        assertThat(rows.get(0).cell(Columns.DURATION)).isEmpty();
        assertThat(rows.get(1).shapeError()).isNull();
        assertThat(rows.get(1).cell(Columns.DURATION)).isEqualTo("10");
        assertThat(rows.get(2).cell(Columns.PROMPT)).isEqualTo("multi\nline");
        assertThat(rows.get(2).cell(Columns.DURATION)).isEqualTo("TRUE");
    }

    @Test
    void headerNamesMatchAsInACsv() throws IOException {
        Workbooks.rows(xlsx(), new String[] {" Prompt ", "Aspect Ratio", "Negative-Prompt", "Colour"}, new String[] {"a cat", "9:16", "no rain", "red"});

        try (CampaignCsv csv = CampaignCsv.open(xlsx())) {
            assertThat(csv.unknownColumns()).containsExactly("Colour");
            PromptRow row = csv.next();
            assertThat(row.cell(Columns.ASPECT_RATIO)).isEqualTo("9:16");
            assertThat(row.cell(Columns.NEGATIVE_PROMPT)).isEqualTo("no rain");
        }
    }

    /** A workbook is recognised by its bytes, whatever its name: an .xlsx saved as "campaign.csv" still reads. */
    @Test
    void aWorkbookIsReadWhateverItsFileName() throws IOException {
        Path misnamed = Workbooks.rows(dir.resolve("campaign.csv"), new String[] {"prompt"}, new String[] {"a cat"});

        assertThat(readAll(misnamed)).singleElement().satisfies(row -> assertThat(row.cell(Columns.PROMPT)).isEqualTo("a cat"));
    }

    @Test
    void theFirstSheetIsReadUnlessTheJobFileNamesAnother() throws IOException {
        Map<String, Consumer<Worksheet>> sheets = new LinkedHashMap<>();
        sheets.put("Notes", sheet -> {
            sheet.value(0, 0, "prompt");
            sheet.value(1, 0, "from the first sheet");
        });
        sheets.put("Spring Launch", sheet -> {
            sheet.value(0, 0, "prompt");
            sheet.value(2, 0, "from the second sheet");
        });
        Workbooks.write(xlsx(), sheets);

        assertThat(readAll(xlsx())).extracting(row -> row.cell(Columns.PROMPT)).containsExactly("from the first sheet");
        try (CampaignCsv csv = CampaignCsv.open(campaign(xlsx(), "spring launch"))) {
            assertThat(readAll(csv)).singleElement().satisfies(row -> {
                assertThat(row.cell(Columns.PROMPT)).isEqualTo("from the second sheet");
                assertThat(row.line()).isEqualTo(3);
            });
        }
        assertThat(CampaignCsv.countRows(campaign(xlsx(), "Spring Launch"))).isEqualTo(1);
        assertThat(CampaignCsv.readingNote(campaign(xlsx(), null))).isNull();
    }

    @Test
    void aSheetTheWorkbookLacksIsAJobFileError() throws IOException {
        Workbooks.rows(xlsx(), new String[] {"prompt"}, new String[] {"a cat"});
        Campaign campaign = campaign(xlsx(), "Summer");

        assertThatThrownBy(() -> CampaignCsv.open(campaign))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(dir.resolve("job.yml") + ": 'sheet: Summer': campaign.xlsx has no such sheet (sheets: Sheet1)");
    }

    @Test
    void aSheetForACsvIsAJobFileError() throws IOException {
        Files.writeString(dir.resolve("campaign.csv"), "prompt\na cat\n");
        Campaign campaign = campaign(dir.resolve("campaign.csv"), "Sheet1");

        assertThatThrownBy(() -> CampaignCsv.open(campaign))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(dir.resolve("job.yml") + ": 'sheet: Sheet1' names a sheet of an .xlsx workbook, but campaign.csv is a CSV");
    }

    /** Errors in a sheet name its row, as the spreadsheet shows it, and the sheet the job file named. */
    @Test
    void fileErrorsNameTheSheetsRow() throws IOException {
        Map<String, Consumer<Worksheet>> sheets = new LinkedHashMap<>();
        sheets.put("Prompts", sheet -> {
            sheet.style(0, 0).fillColor("FFFF00").set(); // a coloured title row with nothing in it: not the header
            sheet.value(2, 0, "id");
            sheet.value(2, 1, "promt");
            sheet.value(3, 0, "a");
        });
        Workbooks.write(xlsx(), sheets);

        assertThatThrownBy(() -> CampaignCsv.open(xlsx()))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(xlsx() + ", row 3: column 'promt' (did you mean 'prompt'?)");
        assertThatThrownBy(() -> CampaignCsv.open(campaign(xlsx(), "Prompts")))
                .hasMessageStartingWith(xlsx() + ", sheet 'Prompts', row 3: ");
    }

    /** Formulas give the value Excel saved with them; a formula never calculated gives nothing. */
    @Test
    void formulasUseTheirCachedValue() throws IOException {
        Workbooks.handMade(xlsx(), """
                <row r="1"><c r="A1" t="inlineStr"><is><t>prompt</t></is></c><c r="B1" t="inlineStr"><is><t>duration</t></is></c>\
                <c r="C1" t="inlineStr"><is><t>launch</t></is></c><c r="D1" t="inlineStr"><is><t>ok</t></is></c></row>
                <row r="2"><c r="A2" t="str"><f>CONCAT("a ","cat")</f><v>a cat</v></c><c r="B2"><f>2+3</f><v>5</v></c>\
                <c r="C2" s="1"><f>DATE(2025,3,1)</f><v>45717</v></c><c r="D2" t="b"><f>TRUE()</f><v>1</v></c></row>
                <row r="3"><c r="A3" t="str"><f>A2</f></c><c r="B3"><f>B2*2</f><v>10</v></c></row>
                """, true);

        List<PromptRow> rows = readAll(xlsx());

        assertThat(rows.get(0).cell(Columns.PROMPT)).isEqualTo("a cat");
        assertThat(rows.get(0).cell(Columns.DURATION)).isEqualTo("5");
        assertThat(rows.get(0).cell("launch")).isEqualTo("2025-03-01");
        assertThat(rows.get(0).cell("ok")).isEqualTo("TRUE");
        assertThat(rows.get(1).cell(Columns.PROMPT)).isEmpty();
        assertThat(rows.get(1).cell(Columns.DURATION)).isEqualTo("10");
    }

    /** A formula that failed (#DIV/0!) rejects its row where the column matters, and only there. */
    @Test
    void aFormulaErrorInAColumnThatMattersRejectsTheRow() throws IOException {
        Workbooks.handMade(xlsx(), """
                <row r="1"><c r="A1" t="inlineStr"><is><t>prompt</t></is></c><c r="B1" t="inlineStr"><is><t>cfg_scale</t></is></c>\
                <c r="C1" t="inlineStr"><is><t>notes</t></is></c></row>
                <row r="2"><c r="A2" t="inlineStr"><is><t>a cat</t></is></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
                <row r="3"><c r="A3" t="inlineStr"><is><t>a dog</t></is></c><c r="C3" t="e"><v>#N/A</v></c></row>
                """, true);

        List<PromptRow> rows = readAll(xlsx());

        assertThat(rows.get(0).shapeError()).isEqualTo("cell B2 (cfg_scale) holds the spreadsheet error #DIV/0!");
        assertThat(rows.get(1).shapeError()).isNull();
        assertThat(rows.get(1).cell("notes")).isEqualTo("#N/A");
    }

    /** Some tools write workbooks with no styles part: read all the same (dates then stay numbers). */
    @Test
    void aWorkbookWithoutStylesIsRead() throws IOException {
        Workbooks.handMade(xlsx(), """
                <row r="1"><c r="A1" t="inlineStr"><is><t>prompt</t></is></c><c r="B1" t="inlineStr"><is><t>duration</t></is></c></row>
                <row r="2"><c r="A2" t="inlineStr"><is><t>a cat</t></is></c><c r="B2"><v>5</v></c></row>
                """, false);

        assertThat(readAll(xlsx())).singleElement().satisfies(row -> assertThat(row.cell(Columns.DURATION)).isEqualTo("5"));
    }

    @Test
    void aBrokenWorkbookIsRefused() throws IOException {
        byte[] zipHeaderOnly = {'P', 'K', 3, 4, 0, 0, 0, 0};
        Files.write(xlsx(), zipHeaderOnly);

        assertThatThrownBy(() -> CampaignCsv.open(xlsx()))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(xlsx() + ": cannot be read as an .xlsx workbook");
    }

    @Test
    void anEmptySheetIsRefused() throws IOException {
        Workbooks.write(xlsx(), sheet -> sheet.style(3, 3).fillColor("FF0000").set());

        assertThatThrownBy(() -> CampaignCsv.open(xlsx()))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void columnLettersAreTheSpreadsheets() {
        assertThat(CampaignCsv.columnLetters(0)).isEqualTo("A");
        assertThat(CampaignCsv.columnLetters(25)).isEqualTo("Z");
        assertThat(CampaignCsv.columnLetters(26)).isEqualTo("AA");
        assertThat(CampaignCsv.columnLetters(701)).isEqualTo("ZZ");
        assertThat(CampaignCsv.columnLetters(702)).isEqualTo("AAA");
    }
}
