package io.klingbatch.campaign;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * .xlsx files for tests, made in the test rather than committed: with fastexcel's writer (numbers, dates, strings,
 * several sheets, as a spreadsheet program saves them), or by hand from a sheet's XML where a test needs what the
 * writer cannot write (a formula's cached value, an error value, a workbook without styles).
 */
public final class Workbooks {

    private Workbooks() {
    }

    /** A workbook with one sheet per entry (name to what to write in it). */
    public static Path write(Path file, Map<String, Consumer<Worksheet>> sheets) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook workbook = new Workbook(out, "kling-batch-tests", "1.0");
            sheets.forEach((name, fill) -> fill.accept(workbook.newWorksheet(name)));
            workbook.finish();
        }
        return file;
    }

    /** A workbook with one sheet, {@code Sheet1}. */
    public static Path write(Path file, Consumer<Worksheet> sheet) throws IOException {
        Map<String, Consumer<Worksheet>> sheets = new LinkedHashMap<>();
        sheets.put("Sheet1", sheet);
        return write(file, sheets);
    }

    /** Rows of text, the first the header: each value goes in as written (a string cell). */
    public static Path rows(Path file, String[]... rows) throws IOException {
        return write(file, sheet -> {
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < rows[r].length; c++) {
                    sheet.value(r, c, rows[r][c]);
                }
            }
        });
    }

    /**
     * A workbook whose one sheet ({@code Prompts}) has the given {@code <sheetData>} content, written by hand. Its styles
     * have two cell formats: 0 General, 1 a date ({@code numFmtId} 14); none at all when {@code styles} is false.
     */
    public static Path handMade(Path file, String sheetData, boolean styles) throws IOException {
        String main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        String rels = "http://schemas.openxmlformats.org/package/2006/relationships";
        String office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                """ + (styles ? "<Override PartName=\"/xl/styles.xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\n" : "") + "</Types>");
        parts.put("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + rels + "\"><Relationship Id=\"rId1\" "
                + "Type=\"" + office + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        parts.put("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" + main + "\" xmlns:r=\"" + office + "\">"
                + "<sheets><sheet name=\"Prompts\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        parts.put("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + rels + "\">"
                + "<Relationship Id=\"rId1\" Type=\"" + office + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (styles ? "<Relationship Id=\"rId2\" Type=\"" + office + "/styles\" Target=\"styles.xml\"/>" : "") + "</Relationships>");
        if (styles) {
            parts.put("xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"" + main + "\">"
                    + "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
        }
        parts.put("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + main + "\"><sheetData>"
                + sheetData + "</sheetData></worksheet>");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> part : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(part.getKey()));
                zip.write(part.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
