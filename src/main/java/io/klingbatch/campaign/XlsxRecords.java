package io.klingbatch.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * One sheet of an .xlsx workbook (the first, or the job file's {@code sheet:}), streamed row by row with fastexcel: the
 * sheet is parsed as it is read, never held whole. Cells become the text a person sees, minus the decoration: numbers
 * as plain numbers ({@code 5}, not {@code 5.0}; at most 15 significant digits, as Excel shows them), dates in ISO
 * ({@code 2025-03-01}, {@code 2025-03-01T09:30}), booleans {@code TRUE}/{@code FALSE}; a formula gives the value
 * Excel saved with it (never recomputed). Messages name a sheet's row ({@code row 7}), as the spreadsheet shows it.
 */
final class XlsxRecords implements Records {

    /** What a formula's saved value is when it failed; such a cell in a column that matters rejects its row. */
    private static final Set<String> ERRORS = Set.of("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
            "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!");
    private static final MathContext EXCEL_DIGITS = new MathContext(15);
    private static final int[] NONE = NO_COLUMNS;

    private final Path file;
    private final String sheetName;
    private final ReadableWorkbook workbook;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;
    private int line;
    private int[] errorColumns = NONE;

    private XlsxRecords(Path file, String sheetName, ReadableWorkbook workbook, Stream<Row> stream) {
        this.file = file;
        this.sheetName = sheetName;
        this.workbook = workbook;
        this.stream = stream;
        this.rows = stream.iterator();
    }

    /** Whether the file's first bytes are a zip archive's, as every .xlsx workbook's are. */
    static boolean isWorkbook(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /**
     * @param sheet    the sheet's name (exact, else ignoring case), or null for the first sheet
     * @param jobFile  where {@code sheet} was written, for the message when the workbook has no such sheet
     */
    static XlsxRecords open(Path file, String sheet, Path jobFile) {
        ReadableWorkbook workbook = null;
        try {
            workbook = workbook(file);
            Sheet chosen = choose(workbook, sheet, file, jobFile);
            XlsxRecords records = new XlsxRecords(file, sheet == null ? null : chosen.getName(), workbook, chosen.openStream());
            workbook = null;
            return records;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CampaignFileException known) {
                throw known;
            }
            throw new CampaignFileException(file, "cannot be read as an .xlsx workbook: " + reason(e));
        } finally {
            if (workbook != null) {
                try {
                    workbook.close();
                } catch (IOException ignored) {
                    // read-only file: nothing to lose
                }
            }
        }
    }

    /** With number formats (to know dates), else without: a workbook some tools write has no styles part at all. */
    private static ReadableWorkbook workbook(Path file) throws IOException {
        try {
            return new ReadableWorkbook(file.toFile(), new ReadingOptions(true, true));
        } catch (RuntimeException e) {
            return new ReadableWorkbook(file.toFile(), new ReadingOptions(false, true));
        }
    }

    private static Sheet choose(ReadableWorkbook workbook, String sheet, Path file, Path jobFile) {
        if (sheet == null) {
            return workbook.getSheets().findFirst().orElseThrow(() -> new CampaignFileException(file, "the workbook has no sheet"));
        }
        Optional<Sheet> exact = workbook.findSheet(sheet);
        if (exact.isPresent()) {
            return exact.get();
        }
        return workbook.getSheets().filter(s -> s.getName().strip().equalsIgnoreCase(sheet.strip())).findFirst()
                .orElseThrow(() -> new CampaignFileException(jobFile, "'sheet: " + sheet + "': " + file.getFileName() + " has no such sheet (sheets: "
                        + workbook.getSheets().map(Sheet::getName).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String[] next() {
        try {
            if (!rows.hasNext()) {
                return null;
            }
            Row row = rows.next();
            line = row.getRowNum();
            return record(row);
        } catch (RuntimeException e) {
            throw new CampaignFileException(file, place(line + 1), "cannot be read as an .xlsx workbook: " + reason(e));
        }
    }

    private String[] record(Row row) {
        int width = row.getCellCount();
        while (width > 0 && empty(row.getCell(width - 1))) {
            width--; // cells only formatted, to the right of the data: not cells of the row
        }
        String[] record = new String[width];
        int[] errors = NONE;
        for (int i = 0; i < width; i++) {
            Cell cell = row.getCell(i);
            record[i] = text(cell);
            if (cell != null && (cell.getType() == CellType.ERROR || cell.getType() == CellType.FORMULA && ERRORS.contains(record[i]))) {
                errors = Arrays.copyOf(errors, errors.length + 1);
                errors[errors.length - 1] = i;
            }
        }
        errorColumns = errors;
        return record;
    }

    private static boolean empty(Cell cell) {
        return cell == null || cell.getType() == CellType.EMPTY || cell.getValue() == null || cell.getText().isEmpty();
    }

    /** The cell as text: see the class comment. */
    static String text(Cell cell) {
        if (cell == null || cell.getValue() == null) {
            return "";
        }
        Object value = cell.getValue();
        return switch (cell.getType()) {
            case EMPTY -> "";
            case STRING -> lines(value.toString());
            case BOOLEAN -> (Boolean) value ? "TRUE" : "FALSE";
            case NUMBER -> number(cell, (BigDecimal) value);
            case ERROR -> value.toString();
            case FORMULA -> value instanceof BigDecimal number ? number(cell, number)
                    : value instanceof Boolean bool ? (bool ? "TRUE" : "FALSE")
                    : lines(value.toString());
        };
    }

    private static String number(Cell cell, BigDecimal value) {
        DateKind kind = dateKind(cell.getDataFormatId(), cell.getDataFormatString());
        if (kind != DateKind.NONE && value.signum() >= 0) {
            LocalDateTime when = cell.asDate().truncatedTo(ChronoUnit.SECONDS);
            if (kind == DateKind.TIME && value.compareTo(BigDecimal.ONE) < 0) {
                return when.toLocalTime().toString();
            }
            return when.toLocalTime().toSecondOfDay() == 0 ? when.toLocalDate().toString() : when.toString();
        }
        BigDecimal shown = value.round(EXCEL_DIGITS).stripTrailingZeros();
        return shown.signum() == 0 ? "0" : shown.toPlainString();
    }

    enum DateKind { NONE, DATE, TIME }

    /**
     * Whether a number format shows a date (or a time of day), as Excel decides: the built-in date formats, or a format
     * with y, m, d, h or s outside quotes, brackets and escapes ({@code [$-409]d-mmm-yy}, {@code "Qty" 0} is not one).
     */
    static DateKind dateKind(Integer id, String format) {
        if (id != null && (id >= 27 && id <= 36 || id >= 50 && id <= 58)) {
            return DateKind.DATE; // East Asian built-in date formats
        }
        if (format == null || format.isBlank() || format.equalsIgnoreCase("General")) {
            return DateKind.NONE;
        }
        StringBuilder bare = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '\\' || c == '_' || c == '*') {
                i++; // the next character is shown as is, or is padding
            } else if (c == '[') {
                int end = format.indexOf(']', i);
                String inside = end < 0 ? "" : format.substring(i + 1, end).toLowerCase(java.util.Locale.ROOT);
                if (inside.matches("h+|m+|s+")) {
                    bare.append(inside); // [h]:mm:ss, elapsed time
                }
                i = end < 0 ? format.length() : end;
            } else if (c == ';') {
                break; // the positive numbers' section decides
            } else {
                bare.append(Character.toLowerCase(c));
            }
        }
        String kept = bare.toString();
        boolean date = kept.indexOf('y') >= 0 || kept.indexOf('d') >= 0;
        boolean time = kept.indexOf('h') >= 0 || kept.indexOf('s') >= 0;
        if (date) {
            return DateKind.DATE;
        }
        if (time) {
            return DateKind.TIME;
        }
        return kept.indexOf('m') >= 0 ? DateKind.DATE : DateKind.NONE;
    }

    private static String lines(String text) {
        return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public String place(int line) {
        return (sheetName == null ? "" : "sheet '" + sheetName + "', ") + "row " + line;
    }

    @Override
    public int[] errorColumns() {
        return errorColumns;
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (RuntimeException ignored) {
            // closing a read-only file
        }
        try {
            workbook.close();
        } catch (IOException ignored) {
            // read-only file: nothing to lose
        }
    }
}
