package io.klingbatch.campaign;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A CSV as spreadsheets export it: RFC 4180 with the delimiter found in the header line (comma, semicolon or tab), in
 * UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or Windows-1252 (Excel's "CSV" on Windows)
 * when the bytes are not UTF-8.
 *
 * <p>Without a BOM the file is read as UTF-8 until its first byte that is not ASCII: if that byte starts a UTF-8
 * character the file is UTF-8 for good, else it is Windows-1252 from there on (everything before was ASCII, the same
 * in both). One pass, no second read of a big file. A byte that fits neither (a UTF-8 file with a stray byte, or one
 * of the five bytes Windows-1252 does not define) refuses the file, naming its line and value.
 */
final class CsvRecords implements Records {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int HEADER_PEEK = 64 * 1024;

    private final Path file;
    private final DecodingReader text;
    private final CSVReader csv;
    private int line;

    private CsvRecords(Path file, DecodingReader text, CSVReader csv) {
        this.file = file;
        this.text = text;
        this.csv = csv;
    }

    /**
     * @param in   the file from its first byte, buffered
     * @param head its first bytes (at most {@link CampaignCsv#SNIFF_BYTES}), to recognise a BOM or a binary file
     */
    static CsvRecords open(Path file, InputStream in, byte[] head) throws IOException {
        DecodingReader text = decoding(file, in, head);
        BufferedReader buffered = new BufferedReader(text, HEADER_PEEK);
        char delimiter;
        try {
            delimiter = delimiter(file, buffered);
        } catch (CharacterCodingException e) {
            throw unreadable(file, text, e);
        }
        CSVReader csv = new CSVReaderBuilder(buffered)
                .withCSVParser(new RFC4180ParserBuilder().withSeparator(delimiter).build())
                .withKeepCarriageReturn(false)
                .build();
        return new CsvRecords(file, text, csv);
    }

    private static DecodingReader decoding(Path file, InputStream in, byte[] head) throws IOException {
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            in.skipNBytes(3);
            return new DecodingReader(in, StandardCharsets.UTF_8, 3);
        }
        if (startsWith(head, 0xFF, 0xFE)) {
            in.skipNBytes(2);
            return new DecodingReader(in, StandardCharsets.UTF_16LE, 2);
        }
        if (startsWith(head, 0xFE, 0xFF)) {
            in.skipNBytes(2);
            return new DecodingReader(in, StandardCharsets.UTF_16BE, 2);
        }
        int zeros = 0;
        int evenZeros = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                zeros++;
                evenZeros += i % 2 == 0 ? 1 : 0;
            }
        }
        if (zeros > 0) {
            boolean utf16 = zeros * 3 > head.length && (evenZeros == 0 || evenZeros == zeros);
            throw new CampaignFileException(file, utf16
                    ? "is a binary file, not a CSV (it looks like UTF-16 text without a byte order mark: save it as CSV UTF-8)"
                    : "is a binary file, not a CSV");
        }
        return new DecodingReader(in, null, 0);
    }

    /** The most frequent of comma, semicolon and tab outside quotes in the header line; comma when none or tied. */
    private static char delimiter(Path file, BufferedReader reader) throws IOException {
        reader.mark(HEADER_PEEK);
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < HEADER_PEEK - 1; i++) {
            int c = reader.read();
            if (c < 0) {
                break;
            }
            if (c == 0) {
                throw new CampaignFileException(file, "is a binary file, not a CSV");
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == '\n' || c == '\r') {
                    break;
                }
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        reader.reset();
        if (semicolons > commas && semicolons >= tabs) {
            return ';';
        }
        return tabs > commas && tabs > semicolons ? '\t' : ',';
    }

    @Override
    public String[] next() {
        int start = (int) csv.getLinesRead() + 1; // where the record starts: an unclosed quote is reported there, not at the end
        try {
            String[] record = csv.readNext();
            line = start;
            return record;
        } catch (CharacterCodingException e) {
            throw unreadable(file, text, e);
        } catch (IOException | CsvValidationException e) {
            throw new CampaignFileException(file, start, describe(e));
        }
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public String place(int line) {
        return "line " + line;
    }

    @Override
    public String note() {
        return text.note(file);
    }

    /**
     * What the console says once when a file was read as Windows-1252, or null. Reads the file only as far as its first
     * byte that is not ASCII (the byte that decides), so {@code validate} can say it without keeping the scan's reader.
     */
    static String windows1252Note(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            in.mark(CampaignCsv.SNIFF_BYTES);
            byte[] head = in.readNBytes(CampaignCsv.SNIFF_BYTES);
            in.reset();
            if (XlsxRecords.isWorkbook(head)) {
                return null;
            }
            DecodingReader text = decoding(file, in, head);
            char[] scratch = new char[64 * 1024];
            while (text.undecided() && text.read(scratch, 0, scratch.length) >= 0) {
                // until the first byte that is not ASCII decides
            }
            return text.note(file);
        } catch (IOException | RuntimeException e) {
            return null; // the scan itself says what is wrong with the file
        }
    }

    private static CampaignFileException unreadable(Path file, DecodingReader text, CharacterCodingException e) {
        if (e instanceof BadByte bad) {
            return new CampaignFileException(file, lineAt(file, bad.offset, text.fixed), bad.getMessage());
        }
        return new CampaignFileException(file, "is not " + text.encodingName() + " text");
    }

    /**
     * The line of a byte: the line feeds before it. Runs only to name a line in a message (the reader decodes ahead
     * in blocks, so its own position is not that line).
     */
    static int lineAt(Path file, long offset, Charset charset) {
        int width = charset == StandardCharsets.UTF_16LE || charset == StandardCharsets.UTF_16BE ? 2 : 1;
        int newlineAt = charset == StandardCharsets.UTF_16BE ? 1 : 0;
        int line = 1;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            for (long position = 0; position + width <= offset; position += width) {
                int first = in.read();
                int second = width == 2 ? in.read() : 0;
                if (first < 0 || second < 0) {
                    break;
                }
                int low = newlineAt == 0 ? first : second;
                int high = newlineAt == 0 ? second : first;
                if (low == '\n' && high == 0) {
                    line++;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return line;
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.toLowerCase(Locale.ROOT).contains("quote")) {
            return "a quoted field is never closed (a '\"' is missing)";
        }
        return message;
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException ignored) {
            // read-only file: nothing to lose
        }
    }

    /** A byte the file's encoding does not allow; {@link #getMessage()} says which and why. */
    static final class BadByte extends CharacterCodingException {

        final long offset;
        private final String message;

        BadByte(long offset, String message) {
            this.offset = offset;
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    /**
     * Decodes the file's bytes: in the encoding its BOM names, or UTF-8 until the first byte that is not ASCII decides
     * between UTF-8 and Windows-1252. Strict: a byte the encoding does not allow is a {@link BadByte}, never a '?'.
     */
    static final class DecodingReader extends Reader {

        private final InputStream in;
        private final long start;
        private final Charset fixed;
        private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
        private CharsetDecoder decoder;
        private boolean decided;
        private boolean windows1252;
        private long discarded;
        private long switchedAt = -1;
        private int switchByte;
        private boolean eof;
        private boolean done;

        /** @param fixed the BOM's encoding, or null to tell UTF-8 from Windows-1252; {@code start}: the BOM's length */
        DecodingReader(InputStream in, Charset fixed, long start) {
            this.in = in;
            this.fixed = fixed;
            this.start = start;
            this.decided = fixed != null;
            this.decoder = strict(fixed != null ? fixed : StandardCharsets.UTF_8);
        }

        private static CharsetDecoder strict(Charset charset) {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        }

        boolean undecided() {
            return !decided;
        }

        String encodingName() {
            return fixed == StandardCharsets.UTF_16LE || fixed == StandardCharsets.UTF_16BE ? "UTF-16" : windows1252 ? "Windows-1252" : "UTF-8";
        }

        String note(Path file) {
            if (!windows1252) {
                return null;
            }
            int line = lineAt(file, switchedAt, null);
            return file.getFileName() + ", line " + line + ": read as Windows-1252 (byte " + hex(switchByte)
                    + " is not UTF-8); save as CSV UTF-8 to silence this.";
        }

        @Override
        public int read(char[] buffer, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            CharBuffer out = CharBuffer.wrap(buffer, off, len);
            while (true) {
                int bytesBefore = bytes.position();
                int charsBefore = out.position();
                CoderResult result = decoder.decode(bytes, out, eof);
                if (!decided && bytes.position() - bytesBefore != out.position() - charsBefore) {
                    decided = true; // a UTF-8 character of more than one byte was read: UTF-8 for good
                }
                if (result.isError()) {
                    int value = bytes.get(bytes.position()) & 0xFF;
                    if (!decided) {
                        decided = true;
                        windows1252 = true;
                        switchedAt = offset();
                        switchByte = value;
                        decoder = strict(WINDOWS_1252);
                        continue;
                    }
                    throw new BadByte(offset(), problem(value));
                }
                if (result.isOverflow()) {
                    return out.position() - off;
                }
                if (eof) {
                    decoder.flush(out);
                    done = true;
                    int read = out.position() - off;
                    return read == 0 ? -1 : read;
                }
                refill();
            }
        }

        private String problem(int value) {
            if (fixed == StandardCharsets.UTF_16LE || fixed == StandardCharsets.UTF_16BE) {
                return "is not UTF-16 text (an unpaired surrogate at byte " + offset() + ")";
            }
            if (windows1252) {
                return "is neither UTF-8 nor Windows-1252 text (byte " + hex(value) + " at byte " + offset()
                        + " is neither); save it as CSV UTF-8";
            }
            return "is not UTF-8 text (byte " + hex(value) + " at byte " + offset() + (fixed == null
                    ? ", after UTF-8 text on the lines before it" : "") + "); save it as CSV UTF-8";
        }

        private long offset() {
            return start + discarded + bytes.position();
        }

        private void refill() throws IOException {
            discarded += bytes.position();
            bytes.compact();
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (read < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + read);
            }
            bytes.flip();
        }

        private static String hex(int value) {
            return String.format(Locale.ROOT, "0x%02X", value);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
