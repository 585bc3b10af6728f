package io.klingbatch.ledger;

import com.opencsv.CSVReaderBuilder;
import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import io.klingbatch.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The output folder's own record of the videos it holds ({@code .kling-batch-paid.csv}, append-only, forced to disk):
 * which file is which video, paid here or copied in. It travels with the files, so a lost or different database
 * still pays nothing again for a video that is here, and a video paid while the database was unreachable is
 * recognised by the next run. Written before the ledger: file complete and renamed, then this, then the database.
 *
 * <p>Lines of the first format (row id, request hash, simulated, file, bytes, sha256, cost, balance, request id) are
 * still read: a real one is taken to be of the API configured now.
 */
public final class PaidLog {

    public static final String FILE = ".kling-batch-paid.csv";
    private static final String FORMAT = "v2";

    private final Path file;
    private final Map<String, Record> byFile = new HashMap<>();
    private final Map<VideoKey, List<Record>> byKey = new HashMap<>();
    private final Map<VideoKey, Record> submissions = new HashMap<>();
    private final Map<String, String> verified = new HashMap<>();
    private boolean newlineFirst;

    /**
     * One video file of the folder.
     *
     * @param origin {@code paid} (bought by a run writing here), {@code copied} (made earlier, linked or copied in), or
     *               {@code submitted} (v2: the API accepted it; no file yet, the request id and where to poll)
     */
    public record Record(String fileName, VideoKey key, long bytes, String sha256, BigDecimal cost, BigDecimal remainingCredits,
                         String requestId, String origin, String campaign, String statusUrl, String responseUrl) {

        public Record(String fileName, VideoKey key, long bytes, String sha256, BigDecimal cost, BigDecimal remainingCredits,
                      String requestId, String origin, String campaign) {
            this(fileName, key, bytes, sha256, cost, remainingCredits, requestId, origin, campaign, null, null);
        }

        public boolean submission() {
            return SUBMITTED.equals(origin);
        }
    }

    public static final String SUBMITTED = "submitted";

    private PaidLog(Path file) {
        this.file = file;
    }

    /** Reads the folder's log (none yet is an empty log); {@code realEndpoint} is what first-format real lines are taken to be. */
    public static PaidLog open(Path folder, String realEndpoint) {
        PaidLog log = new PaidLog(folder.resolve(FILE));
        if (Files.exists(log.file)) {
            try (Reader reader = Files.newBufferedReader(log.file, StandardCharsets.UTF_8);
                 var csv = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build()).build()) {
                for (String[] line = csv.readNext(); line != null; line = csv.readNext()) {
                    Record record = parse(line, realEndpoint);
                    if (record != null) {
                        log.index(record);
                    }
                }
            } catch (IOException | CsvValidationException e) {
                // a torn last line (the process died while appending) ends the readable part; what came before stands
            }
            log.newlineFirst = !endsWithNewline(log.file);
        }
        return log;
    }

    /** Appends a record, forced to disk: it must outlive anything the database forgets. */
    public synchronized void append(Record record) {
        String[] line = {FORMAT, record.fileName(), record.key().endpoint(), record.key().requestHash(), String.valueOf(record.key().take()),
                String.valueOf(record.bytes()), record.sha256(), text(record.cost()), text(record.remainingCredits()),
                record.requestId() == null ? "" : record.requestId(), record.origin(), record.campaign() == null ? "" : record.campaign(),
                record.statusUrl() == null ? "" : record.statusUrl(), record.responseUrl() == null ? "" : record.responseUrl()};
        StringWriter text = new StringWriter();
        try (ICSVWriter csv = new CSVWriterBuilder(text).withLineEnd("\n").build()) {
            csv.writeNext(line, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(((newlineFirst ? "\n" : "") + text).getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            newlineFirst = false;
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        index(record);
    }

    /** v2: a request this folder's run submitted for the video (its id and URLs), even if the database never heard of it. */
    public synchronized Optional<Record> submission(VideoKey key) {
        return Optional.ofNullable(submissions.get(key));
    }

    /** What the folder's log says a file of the folder is (the latest record naming it). */
    public synchronized Optional<Record> file(String fileName) {
        return Optional.ofNullable(byFile.get(fileName));
    }

    /**
     * A file of this folder that holds the video, checked against the log's size and sha256 (a file edited, replaced or
     * half-copied does not count); the newest such file.
     */
    public synchronized Optional<Record> find(VideoKey key) {
        List<Record> records = byKey.getOrDefault(key, List.of());
        for (int i = records.size() - 1; i >= 0; i--) {
            Record record = records.get(i);
            if (byFile.get(record.fileName()) == record && intact(record)) {
                return Optional.of(record);
            }
        }
        return Optional.empty();
    }

    /** Whether the named file still is what its record says: size always, sha256 once per size and modification time. */
    public synchronized boolean intact(Record record) {
        return intact(record, true);
    }

    /** As {@link #intact(Record)}; {@code thorough} false checks the size only (for a quick look, such as {@code status}). */
    public synchronized boolean intact(Record record, boolean thorough) {
        Path video = file.resolveSibling(record.fileName());
        try {
            if (!Files.isRegularFile(video) || Files.size(video) != record.bytes()) {
                return false;
            }
            if (!thorough) {
                return true;
            }
            FileTime modified = Files.getLastModifiedTime(video);
            String stamp = record.sha256() + "/" + modified.toMillis();
            if (stamp.equals(verified.get(record.fileName()))) {
                return true;
            }
            if (!record.sha256().equals(Sha256.of(video))) {
                return false;
            }
            verified.put(record.fileName(), stamp);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path folder() {
        return file.getParent();
    }

    /** The average size of the videos recorded here, or 0 when none is. */
    public synchronized long averageBytes() {
        return (long) byFile.values().stream().mapToLong(Record::bytes).average().orElse(0);
    }

    private void index(Record record) {
        if (record.submission()) {
            submissions.put(record.key(), record);
            return;
        }
        byFile.put(record.fileName(), record);
        byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
    }

    /** A line is used only if every field parses: a torn or edited line is skipped, never trusted. */
    private static Record parse(String[] line, String realEndpoint) {
        try {
            if (line.length >= 12 && FORMAT.equals(line[0])) {
                boolean submitted = SUBMITTED.equals(line[10]);
                if (!sha(line[3]) || !submitted && (line[1].isEmpty() || !line[5].matches("\\d{1,18}") || !sha(line[6]))
                        || submitted && line[9].isEmpty()) {
                    return null;
                }
                return new Record(line[1], new VideoKey(line[2], line[3], Integer.parseInt(line[4])), submitted ? 0 : Long.parseLong(line[5]),
                        line[6], number(line[7]), number(line[8]), line[9].isEmpty() ? null : line[9], line[10],
                        line[11].isEmpty() ? null : line[11], line.length > 12 && !line[12].isEmpty() ? line[12] : null,
                        line.length > 13 && !line[13].isEmpty() ? line[13] : null);
            }
            if (line.length >= 9 && !line[0].isEmpty() && sha(line[1]) && line[2].matches("true|false") && line[4].matches("\\d{1,18}")
                    && sha(line[5])) {
                String endpoint = Boolean.parseBoolean(line[2]) ? Endpoint.SIMULATOR.id() : realEndpoint;
                return new Record(line[3], new VideoKey(endpoint, line[1], 1), Long.parseLong(line[4]), line[5], number(line[6]),
                        number(line[7]), line[8].isEmpty() ? null : line[8], "paid", null);
            }
            return null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean sha(String text) {
        return text.matches("[0-9a-f]{64}");
    }

    private static boolean endsWithNewline(Path file) {
        try (var channel = Files.newByteChannel(file)) {
            if (channel.size() == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0) == '\n';
        } catch (IOException e) {
            return false;
        }
    }

    private static String text(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static BigDecimal number(String text) {
        return text.isEmpty() ? null : new BigDecimal(text);
    }
}
