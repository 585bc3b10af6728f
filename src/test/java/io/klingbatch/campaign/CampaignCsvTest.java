package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignCsvTest {

    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] content) throws IOException {
        Path file = dir.resolve("campaign.csv");
        Files.write(file, content);
        return file;
    }

    private static List<PromptRow> readAll(Path file) {
        try (CampaignCsv csv = CampaignCsv.open(file)) {
            List<PromptRow> rows = new ArrayList<>();
            PromptRow row;
            while ((row = csv.next()) != null) {
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void findsColumnsByNameInAnyOrder() throws IOException {
        Path file = write("""
                aspect_ratio,prompt,id
                9:16,a cat,cat-1
                """);

        List<PromptRow> rows = readAll(file);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo("cat-1");
            assertThat(row.cell(Columns.PROMPT)).isEqualTo("a cat");
            assertThat(row.cell(Columns.ASPECT_RATIO)).isEqualTo("9:16");
        });
    }

    @Test
    void headerNamesAreCaseInsensitiveAndStripped() throws IOException {
        Path file = write("""
                 Prompt , ID
                a cat,cat-1
                """);

        assertThat(readAll(file)).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo("cat-1");
            assertThat(row.cell(Columns.PROMPT)).isEqualTo("a cat");
        });
    }

    /** Unknown columns are warned about, and kept (by normalized name) for templates: before templates they were dropped. */
    @Test
    void reportsUnknownColumnsAndKeepsTheirCellsForTemplates() throws IOException {
        Path file = write("""
                prompt,Colour,id
                a cat,red,cat-1
                """);

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).containsExactly("Colour");
            PromptRow row = csv.next();
            assertThat(row.cells()).containsOnlyKeys(Columns.PROMPT, "colour", Columns.ID);
            assertThat(row.cell("colour")).isEqualTo("red");
        }
    }

    @Test
    void readsQuotedCommasAndDoubledQuotes() throws IOException {
        Path file = write("""
                id,prompt
                a,"a cat, a dog"
                b,"she said ""hi""\"
                """);

        assertThat(readAll(file)).extracting(row -> row.cell(Columns.PROMPT))
                .containsExactly("a cat, a dog", "she said \"hi\"");
    }

    @Test
    void readsLineBreaksInsideQuotesAndCountsThemInTheNextRowsLine() throws IOException {
        Path file = write("""
                id,prompt
                a,"first line
                second line
                third line"
                b,next
                """);

        List<PromptRow> rows = readAll(file);

        assertThat(rows.get(0).cell(Columns.PROMPT)).isEqualTo("first line\nsecond line\nthird line");
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(1).line()).isEqualTo(5);
        assertThat(rows.get(1).row()).isEqualTo(2);
    }

    @Test
    void skipsUtf8Bom() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "prompt,id\na cat,cat-1\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, content, 0, bom.length);
        System.arraycopy(text, 0, content, bom.length, text.length);

        try (CampaignCsv csv = CampaignCsv.open(write(content))) {
            assertThat(csv.unknownColumns()).isEmpty();
            assertThat(csv.next().id()).isEqualTo("cat-1");
        }
    }

    @Test
    void readsCrlfLineEndings() throws IOException {
        Path file = write("id,prompt\r\na,\"one\r\ntwo\"\r\nb,three\r\n");

        List<PromptRow> rows = readAll(file);

        assertThat(rows).extracting(PromptRow::id).containsExactly("a", "b");
        assertThat(rows.get(0).cell(Columns.PROMPT)).doesNotContain("\r").isEqualTo("one\ntwo");
        assertThat(rows.get(1).cell(Columns.PROMPT)).isEqualTo("three");
        assertThat(rows.get(1).line()).isEqualTo(4);
    }

    @Test
    void readsLfLineEndingsWithoutFinalNewline() throws IOException {
        Path file = write("id,prompt\na,one\nb,two");

        assertThat(readAll(file)).extracting(PromptRow::id).containsExactly("a", "b");
    }

    @Test
    void skipsBlankLinesWithoutCountingThemAsRows() throws IOException {
        Path file = write("""
                id,prompt

                a,one


                b,two
                ,
                """);

        List<PromptRow> rows = readAll(file);

        assertThat(rows).extracting(PromptRow::id).containsExactly("a", "b");
        assertThat(rows).extracting(PromptRow::row).containsExactly(1, 2);
        assertThat(rows).extracting(PromptRow::line).containsExactly(3, 6);
    }

    @Test
    void missingIdBecomesRowNumber() throws IOException {
        Path file = write("""
                id,prompt
                a,one
                ,two
                """);

        assertThat(readAll(file)).extracting(PromptRow::id).containsExactly("a", "row-2");
    }

    @Test
    void noIdColumnGivesEveryRowItsRowNumber() throws IOException {
        Path file = write("""
                prompt
                one
                two
                """);

        assertThat(readAll(file)).extracting(PromptRow::id).containsExactly("row-1", "row-2");
    }

    @Test
    void duplicateIdIgnoringCasePointsToTheFirstRow() throws IOException {
        Path file = write("""
                id,prompt
                Cat,one
                dog,two
                CAT,three
                cat,four
                """);

        List<PromptRow> rows = readAll(file);

        assertThat(rows).extracting(PromptRow::duplicateOf).containsExactly(0, 0, 1, 1);
    }

    @Test
    void moreCellsThanHeaderIsAShapeError() throws IOException {
        Path file = write("""
                id,prompt
                a,one,extra
                """);

        PromptRow row = readAll(file).get(0);

        assertThat(row.shapeError()).isEqualTo("the row has 3 cells but the header has 2");
    }

    @Test
    void fewerCellsThanHeaderAreEmpty() throws IOException {
        Path file = write("""
                id,prompt,duration
                a,one
                """);

        PromptRow row = readAll(file).get(0);

        assertThat(row.shapeError()).isNull();
        assertThat(row.cells()).containsEntry(Columns.DURATION, "");
        assertThat(row.cell(Columns.DURATION)).isEmpty();
    }

    @Test
    void missingFileIsACampaignFileException() {
        Path file = dir.resolve("nowhere.csv");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void binaryFileIsRejected() throws IOException {
        Path file = write(new byte[] {'p', 'r', 'o', 'm', 'p', 't', '\n', 0, 1, 2, 3});

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("binary");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("");

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void headerWithoutPromptColumnIsRejectedAtLineOne() throws IOException {
        Path file = write("""
                id,text
                a,one
                """);

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 1: ")
                .hasMessageContaining("no 'prompt' column");
    }

    @Test
    void headerNamingAColumnTwiceIsRejected() throws IOException {
        Path file = write("""
                prompt,id,Prompt
                a,b,c
                """);

        assertThatThrownBy(() -> CampaignCsv.open(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ", line 1: the header names column 'prompt' twice");
    }

    @Test
    void unclosedQuoteThrowsInsteadOfReturningARow() throws IOException {
        Path file = write("""
                id,prompt
                a,one
                b,"two
                c,three
                """);

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.next().id()).isEqualTo("a");
            assertThatThrownBy(csv::next)
                    .isInstanceOf(CampaignFileException.class)
                    .hasMessageStartingWith(file + ", line ")
                    .hasMessageContaining("quoted field is never closed");
        }
    }

    @Test
    void unclosedQuoteNamesTheLineWhereTheFieldStarts() throws IOException {
        Path file = write("""
                id,prompt
                a,one
                b,"two
                c,three
                d,four
                """);

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            csv.next();
            assertThatThrownBy(csv::next)
                    .isInstanceOf(CampaignFileException.class)
                    .hasMessageStartingWith(file + ", line 3: ");
        }
    }

    /**
     * A stray byte in a UTF-8 file is still refused. (A file whose first non-ASCII byte is not UTF-8 is now read as
     * Windows-1252: see CsvExportsTest. So the stray byte here comes after UTF-8 text.)
     */
    @Test
    void invalidUtf8IsRejected() throws IOException {
        byte[] content = "id,prompt\na,café\nb,caf?\n".getBytes(StandardCharsets.UTF_8);
        content[content.length - 2] = (byte) 0xFF;
        Path file = write(content);

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line ")
                .hasMessageContaining("is not UTF-8 text");
    }

    @Test
    void invalidUtf8NamesTheLineOfTheBadByte() throws IOException {
        byte[] content = "id,prompt\na,crème\nb,two\nc,caf?\n".getBytes(StandardCharsets.UTF_8);
        content[content.length - 2] = (byte) 0xFF;
        Path file = write(content);

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 4: ")
                .hasMessageContaining("byte 0xFF");
    }
}
