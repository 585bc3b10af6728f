package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSVs as spreadsheets export them: each delimiter and encoding is recognised, and a file that is none of them is refused. */
class CsvExportsTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    private Path write(byte[]... parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        Path file = dir.resolve("campaign.csv");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static List<PromptRow> readAll(Path file) {
        try (CampaignCsv csv = CampaignCsv.open(file)) {
            List<PromptRow> rows = new ArrayList<>();
            for (PromptRow row = csv.next(); row != null; row = csv.next()) {
                rows.add(row);
            }
            return rows;
        }
    }

    private static Campaign campaign(Path file) {
        return new Campaign("c", file, file, file.resolveSibling("out"), Map.of(), ClientOptions.NONE, RunOptions.NONE, false);
    }

    /** Excel's "CSV" on a French or German Windows: semicolons, Windows-1252, CRLF. */
    @Test
    void excelCsvOnWindowsWithSemicolonsAndWindows1252IsRead() throws IOException {
        Path file = write("id;prompt;duration\r\ncafe-1;un café au lait, «mousseux»;5\r\ncafe-2;crème brûlée;10\r\n".getBytes(WINDOWS_1252));

        List<PromptRow> rows = readAll(file);

        assertThat(rows).extracting(PromptRow::id).containsExactly("cafe-1", "cafe-2");
        assertThat(rows.get(0).cell(Columns.PROMPT)).isEqualTo("un café au lait, «mousseux»");
        assertThat(rows.get(0).cell(Columns.DURATION)).isEqualTo("5");
        assertThat(rows.get(1).cell(Columns.PROMPT)).isEqualTo("crème brûlée");
        assertThat(CampaignCsv.readingNote(campaign(file)))
                .isEqualTo("campaign.csv, line 2: read as Windows-1252 (byte 0xE9 is not UTF-8); save as CSV UTF-8 to silence this.");
    }

    /** The note comes from the open file too, once it was read past the byte that decided. */
    @Test
    void windows1252IsNotedByTheReaderThatReadIt() throws IOException {
        Path file = write("prompt\nplain\n".getBytes(StandardCharsets.US_ASCII), "déjà vu\n".getBytes(WINDOWS_1252));

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            csv.next();
            assertThat(csv.next().cell(Columns.PROMPT)).isEqualTo("déjà vu");
        }
        assertThat(CampaignCsv.readingNote(campaign(file))).startsWith("campaign.csv, line 3: read as Windows-1252");
    }

    @Test
    void utf8WithAndWithoutBomIsReadWithoutANote() throws IOException {
        Path plain = write("id;prompt\r\na;café crème\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readAll(plain)).singleElement().satisfies(row -> assertThat(row.cell(Columns.PROMPT)).isEqualTo("café crème"));
        assertThat(CampaignCsv.readingNote(campaign(plain))).isNull();

        Path bom = write(bytes(0xEF, 0xBB, 0xBF), "id;prompt\r\na;café crème\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readAll(bom)).singleElement().satisfies(row -> assertThat(row.cell(Columns.PROMPT)).isEqualTo("café crème"));
        assertThat(CampaignCsv.readingNote(campaign(bom))).isNull();
    }

    /** Excel's "Unicode text": UTF-16 little-endian with BOM, tab-separated, CRLF; quoted cells keep tabs and line breaks. */
    @Test
    void excelUnicodeTextUtf16WithBomAndTabsIsRead() throws IOException {
        String text = "id\tprompt\tAspect Ratio\r\nsnow\t\"neige\tsur \"\"le\"\" toit\r\nau matin\"\t9:16\r\nkoi\t鯉のぼり 🎏\t1:1\r\n";
        Path file = write(bytes(0xFF, 0xFE), text.getBytes(StandardCharsets.UTF_16LE));

        List<PromptRow> rows = readAll(file);

        assertThat(rows).extracting(PromptRow::id).containsExactly("snow", "koi");
        assertThat(rows.get(0).cell(Columns.PROMPT)).isEqualTo("neige\tsur \"le\" toit\nau matin");
        assertThat(rows.get(0).cell(Columns.ASPECT_RATIO)).isEqualTo("9:16");
        assertThat(rows.get(1).cell(Columns.PROMPT)).isEqualTo("鯉のぼり 🎏");
        assertThat(rows.get(1).line()).isEqualTo(4);
        assertThat(CampaignCsv.readingNote(campaign(file))).isNull();
    }

    @Test
    void utf16BigEndianWithBomIsRead() throws IOException {
        Path file = write(bytes(0xFE, 0xFF), "prompt\tid\nélan\tx\n".getBytes(StandardCharsets.UTF_16BE));

        assertThat(readAll(file)).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo("x");
            assertThat(row.cell(Columns.PROMPT)).isEqualTo("élan");
        });
    }

    @Test
    void tabSeparatedUtf8IsRead() throws IOException {
        Path file = write("id\tprompt\tduration\na\ta cat, a dog; a bird\t5\n".getBytes(StandardCharsets.UTF_8));

        assertThat(readAll(file)).singleElement().satisfies(row -> {
            assertThat(row.cell(Columns.PROMPT)).isEqualTo("a cat, a dog; a bird");
            assertThat(row.cell(Columns.DURATION)).isEqualTo("5");
            assertThat(row.shapeError()).isNull();
        });
    }

    /** Only the header decides: semicolons inside data cells, or inside a quoted header name, do not make a semicolon file. */
    @Test
    void theHeaderLineAloneDecidesTheDelimiter() throws IOException {
        Path file = write("\"id;name;note\",prompt\na,\"x; y; z\"\n".getBytes(StandardCharsets.UTF_8));

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).containsExactly("id;name;note");
            assertThat(csv.next().cell(Columns.PROMPT)).isEqualTo("x; y; z");
        }
        Path single = write("prompt\na cat; a dog\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readAll(single)).singleElement().satisfies(row -> assertThat(row.cell(Columns.PROMPT)).isEqualTo("a cat; a dog"));
    }

    /** Before: "no 'prompt' column (found: id;prompt;duration)". */
    @Test
    void aSemicolonHeaderFindsItsPromptColumn() throws IOException {
        Path file = write("id;prompt;duration\na;one;5\n".getBytes(StandardCharsets.UTF_8));

        try (CampaignCsv csv = CampaignCsv.open(file)) {
            assertThat(csv.unknownColumns()).isEmpty();
            assertThat(csv.next().cell(Columns.DURATION)).isEqualTo("5");
        }
    }

    /** A file whose first non-ASCII byte comes after the decoder's first blocks: the switch happens mid-stream. */
    @Test
    void windows1252FoundLateInABigFileIsReadAndNamesItsLine() throws IOException {
        StringBuilder ascii = new StringBuilder("id,prompt\n");
        for (int i = 1; i <= 5000; i++) {
            ascii.append("r").append(i).append(",a plain prompt number ").append(i).append(" with some padding text\n");
        }
        Path file = write(ascii.toString().getBytes(StandardCharsets.US_ASCII), "late,naïve café\n".getBytes(WINDOWS_1252));
        assertThat(Files.size(file)).isGreaterThan(3 * 64 * 1024);

        List<PromptRow> rows = readAll(file);

        assertThat(rows).hasSize(5001);
        assertThat(rows.get(5000).cell(Columns.PROMPT)).isEqualTo("naïve café");
        assertThat(CampaignCsv.readingNote(campaign(file))).startsWith("campaign.csv, line 5002: read as Windows-1252 (byte 0xEF");
    }

    /** A UTF-8 character cut in two by the decoder's 64 KB blocks is still one character. */
    @Test
    void aUtf8CharacterAcrossTheDecodersBlockBoundaryIsWhole() throws IOException {
        for (int shift = 0; shift < 8; shift++) { // the euro sign starts at bytes 65530 to 65537
            String header = "id,prompt\n";
            String padding = "p,".concat("x".repeat(64 * 1024 - header.length() - 2 - 1 - 2 - 6 + shift)).concat("\n");
            Path file = write((header + padding + "q,€uro 🎥 end\n").getBytes(StandardCharsets.UTF_8));

            List<PromptRow> rows = readAll(file);

            assertThat(rows).as("shift " + shift).hasSize(2);
            assertThat(rows.get(1).cell(Columns.PROMPT)).isEqualTo("€uro 🎥 end");
            assertThat(CampaignCsv.readingNote(campaign(file))).isNull();
        }
    }

    /** 0x81 is in neither encoding: not UTF-8 (a lone continuation byte), and one of the five bytes Windows-1252 leaves undefined. */
    @Test
    void aFileThatIsNeitherUtf8NorWindows1252IsRefusedNamingTheLineAndByte() throws IOException {
        Path file = write("id,prompt\na,one\nb,caf".getBytes(StandardCharsets.US_ASCII), bytes(0x81), "\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 3: ")
                .hasMessageContaining("is neither UTF-8 nor Windows-1252 text")
                .hasMessageContaining("byte 0x81");
    }

    @Test
    void windows1252FollowedByAByteItDoesNotDefineIsRefusedAtThatByte() throws IOException {
        Path file = write("id,prompt\na,café\nb,ok\n".getBytes(WINDOWS_1252), "c,x".getBytes(StandardCharsets.US_ASCII), bytes(0x9D, '\n'));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 4: ")
                .hasMessageContaining("byte 0x9D");
    }

    @Test
    void utf8WithBomAndABadByteIsRefusedNotGuessed() throws IOException {
        Path file = write(bytes(0xEF, 0xBB, 0xBF), "id,prompt\na,caf".getBytes(StandardCharsets.US_ASCII), bytes(0xE9, '\n'));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 2: ")
                .hasMessageContaining("is not UTF-8 text (byte 0xE9");
    }

    @Test
    void utf16WithAnUnpairedSurrogateIsRefusedNamingTheLine() throws IOException {
        byte[] text = "id\tprompt\r\na\tone\r\nb\tt".getBytes(StandardCharsets.UTF_16LE);
        Path file = write(bytes(0xFF, 0xFE), text, bytes(0x3D, 0xD8), "o\r\n".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith(file + ", line 3: ")
                .hasMessageContaining("is not UTF-16 text");
    }

    /** Without its BOM, UTF-16 is full of zero bytes: refused as binary, with a hint. */
    @Test
    void utf16WithoutBomIsABinaryFileWithAHint() throws IOException {
        Path file = write("id\tprompt\r\na\tone\r\n".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ": is a binary file, not a CSV (it looks like UTF-16 text without a byte order mark: save it as CSV UTF-8)");
    }

    @Test
    void anOldExcelWorkbookIsRefusedByName() throws IOException {
        Path file = write(bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CampaignFileException.class)
                .hasMessage(file + ": is an Excel 97-2003 workbook (.xls): save it as .xlsx or as CSV UTF-8");
    }
}
