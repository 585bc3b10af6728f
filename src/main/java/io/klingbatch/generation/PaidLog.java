package io.klingbatch.generation;

import io.klingbatch.Sha256;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import com.opencsv.exceptions.CsvValidationException;
import io.klingbatch.segmind.Billing;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A copy of the ledger's paid lines kept in the output folder itself ({@code .kling-batch-paid.csv}, append-only).
 *
 * <p>The ledger lives in a database under the working directory. Run the same campaign from another folder, from a
 * CI checkout at another path, or after deleting {@code .kling-batch/}, and the database knows nothing: without this
 * file every row would be paid again. With it, a row whose paid video is still in the folder is taken back into the
 * ledger instead of being sent.
 */
final class PaidLog {

    static final String FILE = ".kling-batch-paid.csv";

    private final Path file;
    private final Map<String, String[]> paid = new HashMap<>();
    private boolean newlineFirst;

    private PaidLog(Path file) {
        this.file = file;
    }

    static PaidLog open(Path folder) {
        PaidLog log = new PaidLog(folder.resolve(FILE));
        if (Files.exists(log.file)) {
            try (Reader reader = Files.newBufferedReader(log.file, StandardCharsets.UTF_8);
                 var csv = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build()).build()) {
                for (String[] line = csv.readNext(); line != null; line = csv.readNext()) {
                    if (wellFormed(line)) {
                        log.paid.put(key(line[0], line[1], Boolean.parseBoolean(line[2])), line);
                    }
                }
            } catch (IOException | CsvValidationException e) {
                // a torn last line (the process died while appending) ends the readable part; what came before stands
            }
            log.newlineFirst = !endsWithNewline(log.file);
        }
        return log;
    }

    /** Appends a paid video, forced to disk: it must outlive anything the database forgets. */
    synchronized void append(VideoKey key, StoredVideo video, Billing billing) {
        String[] line = {key.videoId(), key.requestHash(), String.valueOf(key.simulated()), video.fileName(), String.valueOf(video.bytes()),
                video.sha256(), text(billing.cost()), text(billing.remainingCredits()), billing.requestId() == null ? "" : billing.requestId()};
        StringWriter text = new StringWriter();
        try (ICSVWriter csv = new CSVWriterBuilder(text).withLineEnd("\n").build()) {
            csv.writeNext(line, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            String record = (newlineFirst ? "\n" : "") + text;
            channel.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)));
            newlineFirst = false;
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        paid.put(key(key.videoId(), key.requestHash(), key.simulated()), line);
    }

    /** A paid video of this version whose file is still in the folder, as the ledger would record it. */
    synchronized Optional<Found> find(VideoKey key) {
        String[] line = paid.get(key(key.videoId(), key.requestHash(), key.simulated()));
        if (line == null) {
            return Optional.empty();
        }
        Path video = file.resolveSibling(line[3]);
        long bytes = Long.parseLong(line[4]);
        try {
            if (!Files.isRegularFile(video) || Files.size(video) != bytes || !line[5].equals(Sha256.of(video))) {
                return Optional.empty(); // only this very file counts: not another version's of the same name
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new Found(new StoredVideo(line[3], bytes, line[5]),
                new Billing(number(line[6]), number(line[7]), line[8].isEmpty() ? null : line[8])));
    }

    record Found(StoredVideo video, Billing billing) {
    }

    /** A line is used only if every field parses: a torn or edited line is skipped, never trusted. */
    private static boolean wellFormed(String[] line) {
        if (line.length < 9 || line[0].isEmpty() || !line[1].matches("[0-9a-f]{64}") || !line[2].matches("true|false")
                || !line[4].matches("\\d{1,18}") || !line[5].matches("[0-9a-f]{64}")) {
            return false;
        }
        try {
            number(line[6]);
            number(line[7]);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
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

    private static String key(String id, String hash, boolean simulated) {
        return id + "\u0000" + hash + "\u0000" + simulated;
    }

    private static String text(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static BigDecimal number(String text) {
        return text.isEmpty() ? null : new BigDecimal(text);
    }
}
