package io.klingbatch.campaign;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a campaign file one {@link PromptRow} at a time, in constant memory but for the set of ids seen: a CSV as
 * spreadsheets export it ({@link CsvRecords}: comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or a sheet of an
 * .xlsx workbook ({@link XlsxRecords}).
 *
 * <p>Columns are found by name in any order ({@link Header}). Anything that makes the whole file unusable (binary,
 * an encoding it is not, empty, no {@code prompt} column, a near-miss column name, an unclosed quote, a template's
 * placeholder with no column) is a {@link CampaignFileException} naming the file and line (a sheet's row); anything
 * wrong with one row travels with the row, so the rest of the file goes on.
 *
 * <p>Duplicate ids ({@link FirstRows}) are found here rather than in the validator so that a restarted step, which re-reads the
 * rows before its saved position, knows them again.
 */
public final class CampaignCsv implements Closeable {

    static final int SNIFF_BYTES = 8192;

    private final Path file;
    private final Records records;
    private final Header header;
    private final FirstRows ids;
    private int rows;

    /**
     * What the job file adds to reading a campaign file: which sheet, and the templates whose placeholders must be
     * columns (and whose columns are neither warned about nor taken for typos).
     */
    record Use(Path jobFile, String sheet, PromptTemplate prompt, PromptTemplate negativePrompt, PromptTemplate names) {

        static final Use NONE = new Use(null, null, null, null, null);

        /** The templates whose placeholders are columns: the prompts', and the file names' ({@code name-pattern}). */
        void each(Consumer<PromptTemplate> action) {
            if (prompt != null) {
                action.accept(prompt);
            }
            if (negativePrompt != null) {
                action.accept(negativePrompt);
            }
            if (names != null) {
                action.accept(names);
            }
        }
    }

    private CampaignCsv(Path file, Records records, long bytes, Use use) {
        this.file = file;
        this.records = records;
        this.ids = new FirstRows(Campaign.rowsIn(bytes));
        String[] first = records.next();
        while (first != null && isBlank(first) && records instanceof XlsxRecords) {
            first = records.next(); // a sheet's header is its first row with something in it
        }
        if (first == null || isBlank(first)) {
            throw new CampaignFileException(file, "the file is empty: it needs a header row with at least a 'prompt' column");
        }
        this.header = Header.read(first, file, records.place(records.line()), use);
    }

    /** Opens a campaign file (a CSV, or an .xlsx workbook's first sheet) and reads its header. */
    public static CampaignCsv open(Path file) {
        return open(file, Use.NONE);
    }

    /** Opens a campaign's file as its job file says: the sheet it names, the columns its templates use. */
    public static CampaignCsv open(Campaign campaign) {
        return open(campaign.csv(), use(campaign));
    }

    private static Use use(Campaign campaign) {
        String pattern = campaign.videos().namePattern();
        return new Use(campaign.source(), campaign.sheet(), campaign.promptTemplate(), campaign.negativePromptTemplate(),
                pattern.equals(VideoOptions.DEFAULT_NAME) ? null : VideoOptions.columnsOf(pattern));
    }

    private static CampaignCsv open(Path file, Use use) {
        Records records = records(file, use);
        try {
            return new CampaignCsv(file, records, Files.size(file), use);
        } catch (IOException e) {
            records.close();
            throw new CampaignFileException(file, "cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    private static Records records(Path file, Use use) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
            try {
                in.mark(SNIFF_BYTES);
                byte[] head = in.readNBytes(SNIFF_BYTES);
                in.reset();
                if (XlsxRecords.isWorkbook(head)) {
                    in.close();
                    return XlsxRecords.open(file, use.sheet(), use.jobFile());
                }
                if (head.length >= 4 && (head[0] & 0xFF) == 0xD0 && (head[1] & 0xFF) == 0xCF && head[2] == 0x11 && (head[3] & 0xFF) == 0xE0) {
                    throw new CampaignFileException(file, "is an Excel 97-2003 workbook (.xls): save it as .xlsx or as CSV UTF-8");
                }
                if (use.sheet() != null) {
                    throw new CampaignFileException(use.jobFile(), "'sheet: " + use.sheet() + "' names a sheet of an .xlsx workbook, but "
                            + file.getFileName() + " is a CSV");
                }
                return CsvRecords.open(file, in, head);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new CampaignFileException(file, "no such file");
        } catch (IOException e) {
            throw new CampaignFileException(file, "cannot be read: " + e.getMessage());
        }
    }

    /** How many data rows the file has (blank lines are not rows); the file must be usable. */
    public static int countRows(Path file) {
        try (CampaignCsv csv = open(file)) {
            return csv.countRest();
        }
    }

    /** How many data rows the campaign's file (its sheet) has; the file must be usable. */
    public static int countRows(Campaign campaign) {
        try (CampaignCsv csv = open(campaign)) {
            return csv.countRest();
        }
    }

    private int countRest() {
        while (next() != null) {
            // counting
        }
        return rows;
    }

    /**
     * What the console should say once about how the campaign's file was read, or null: a CSV that is not UTF-8 is read
     * as Windows-1252, and saying so lets the user fix the export. Reads the file only up to its first byte that is not
     * ASCII.
     */
    public static String readingNote(Campaign campaign) {
        return CsvRecords.windows1252Note(campaign.csv());
    }

    /** Columns in the header that kling-batch does not know and no template uses (to warn about once). */
    public List<String> unknownColumns() {
        return header.unknown;
    }

    public Path file() {
        return file;
    }

    /** The next row, or null at the end of the file. */
    public PromptRow next() {
        String[] record;
        do {
            record = records.next();
            if (record == null) {
                return null;
            }
        } while (isBlank(record));
        int line = records.line();
        rows++;
        Cells cells = new Cells(header.columns, record);
        String id = cells.getOrDefault(Columns.ID, "").strip();
        if (id.isEmpty()) {
            id = "row-" + rows;
        }
        int first = ids.putIfAbsent(id, rows);
        String shapeError = record.length > header.width
                ? "the row has " + record.length + " cells but the header has " + header.width
                : null;
        for (int column : records.errorColumns()) {
            if (header.used(column)) {
                String error = "cell " + columnLetters(column) + line + " (" + header.name(column) + ") holds the spreadsheet error " + record[column];
                shapeError = shapeError == null ? error : shapeError + "; " + error;
            }
        }
        return new PromptRow(rows, line, id, cells, first, shapeError);
    }

    /** A spreadsheet's name for a column: A, B, ..., Z, AA, ... */
    static String columnLetters(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }

    private static boolean isBlank(String[] record) {
        for (String cell : record) {
            if (!cell.isBlank()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        records.close();
    }
}
