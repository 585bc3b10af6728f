package io.klingbatch.campaign;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a campaign CSV one {@link PromptRow} at a time, in constant memory but for the set of ids seen.
 *
 * <p>RFC 4180 (quoted commas, doubled quotes, line breaks inside quotes), UTF-8 with or without BOM, CRLF or LF.
 * Columns are found by name in any order. Anything that makes the whole file unusable (binary, not UTF-8,
 * empty, no {@code prompt} column, an unclosed quote) is a {@link CampaignFileException} naming the file and
 * line; anything wrong with one row travels with the row, so the rest of the file goes on.
 *
 * <p>Duplicate ids ({@link IdSet}) are found here rather than in the validator so that a restarted step, which re-reads the
 * rows before its saved position, knows them again.
 */
public final class CampaignCsv implements Closeable {

    private static final int BINARY_SNIFF_BYTES = 8192;

    private final Path file;
    private final CSVReader csv;
    private final Map<String, Integer> columnIndex = new LinkedHashMap<>();
    private final List<String> unknownColumns = new ArrayList<>();
    private final int headerWidth;
    private final Map<String, Integer> columns;
    private final IdSet ids;
    private int rows;

    private CampaignCsv(Path file, CSVReader csv, long bytes) {
        this.file = file;
        this.csv = csv;
        this.ids = new IdSet(bytes / 128); // a campaign row is rarely shorter than ~100 bytes
        String[] header = readRecord(1);
        if (header == null || isBlank(header)) {
            throw new CampaignFileException(file, "the file is empty: it needs a header row with at least a 'prompt' column");
        }
        for (int i = 0; i < header.length; i++) {
            String name = header[i].strip().toLowerCase(Locale.ROOT);
            if (Columns.ALL.contains(name)) {
                if (columnIndex.putIfAbsent(name, i) != null) {
                    throw new CampaignFileException(file, 1, "the header names column '" + name + "' twice");
                }
            } else if (!name.isEmpty()) {
                unknownColumns.add(header[i].strip());
            }
        }
        if (!columnIndex.containsKey(Columns.PROMPT)) {
            throw new CampaignFileException(file, 1, "the header has no 'prompt' column (found: " + String.join(", ", header) + ")");
        }
        this.headerWidth = header.length;
        this.columns = Map.copyOf(columnIndex); // immutable: the fastest lookups, shared by every row
    }

    /** Opens a campaign CSV and reads its header. */
    public static CampaignCsv open(Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
            rejectBinary(file, in);
            skipBom(in);
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));
            CSVReader csv = new CSVReaderBuilder(reader)
                    .withCSVParser(new RFC4180ParserBuilder().build())
                    .withKeepCarriageReturn(false)
                    .build();
            try {
                return new CampaignCsv(file, csv, Files.size(file));
            } catch (RuntimeException e) {
                csv.close();
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
            while (csv.next() != null) {
                // counting
            }
            return csv.rows;
        }
    }

    /** Columns in the header that kling-batch does not know (to warn about once). */
    public List<String> unknownColumns() {
        return List.copyOf(unknownColumns);
    }

    public Path file() {
        return file;
    }

    /** The next row, or null at the end of the file. */
    public PromptRow next() {
        String[] record;
        int line;
        do {
            line = (int) csv.getLinesRead() + 1;
            record = readRecord(line);
            if (record == null) {
                return null;
            }
        } while (isBlank(record));
        rows++;
        Map<String, String> cells = new Cells(columns, record);
        String id = cells.getOrDefault(Columns.ID, "").strip();
        if (id.isEmpty()) {
            id = "row-" + rows;
        }
        int first = ids.putIfAbsent(id, rows);
        String shapeError = record.length > headerWidth
                ? "the row has " + record.length + " cells but the header has " + headerWidth
                : null;
        return new PromptRow(rows, line, id, cells, first, shapeError);
    }

    /** @param line where the record starts: an unclosed quote is reported there, not where the file ended */
    private String[] readRecord(int line) {
        try {
            return csv.readNext();
        } catch (CharacterCodingException e) {
            throw new CampaignFileException(file, lineOfBadByte(file), "is not UTF-8 text");
        } catch (IOException | CsvValidationException e) {
            throw new CampaignFileException(file, line, describe(e));
        }
    }

    /**
     * The line of the first byte that is not UTF-8. The reader decodes ahead in blocks, so its own position is
     * not that line; this second pass runs only on the error path.
     */
    static int lineOfBadByte(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(8192);
        CharBuffer out = CharBuffer.allocate(8192);
        int line = 1;
        try (ReadableByteChannel channel = Files.newByteChannel(file)) {
            while (true) {
                boolean end = channel.read(in) < 0;
                in.flip();
                CoderResult result = decoder.decode(in, out, end);
                out.flip();
                while (out.hasRemaining()) {
                    if (out.get() == '\n') {
                        line++;
                    }
                }
                out.clear();
                if (result.isError() || end) {
                    return line;
                }
                in.compact();
            }
        } catch (IOException e) {
            return 0;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.toLowerCase(Locale.ROOT).contains("quote")) {
            return "a quoted field is never closed (a '\"' is missing)";
        }
        return message;
    }

    private static boolean isBlank(String[] record) {
        for (String cell : record) {
            if (!cell.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static void rejectBinary(Path file, InputStream in) throws IOException {
        in.mark(BINARY_SNIFF_BYTES);
        byte[] head = in.readNBytes(BINARY_SNIFF_BYTES);
        in.reset();
        for (byte b : head) {
            if (b == 0) {
                throw new CampaignFileException(file, "is a binary file, not a CSV");
            }
        }
    }

    private static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException ignored) {
            // read-only file: nothing to lose
        }
    }
}
