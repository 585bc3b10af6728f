package io.klingbatch.output;

import io.klingbatch.Sha256;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.Leases;
import io.klingbatch.ledger.PaidLog;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.segmind.Billing;
import io.klingbatch.segmind.VideoSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The videos of one output folder: a paid video saved under its row's name, and a video made earlier put in place
 * under a row's name (a hard link where the file system allows, else a copy), never paid again.
 *
 * <p>Nothing is ever overwritten: a file in the way of a row's video is moved aside ({@code <id>.take<n>.mp4} for an
 * earlier take of the same request, {@code <id>.<hash8>.mp4} for an earlier version of the row, {@code <name>.previous}
 * for a file nobody recorded), and the folder's {@link PaidLog} and the ledger follow it. A video is streamed from the
 * socket to {@code <id>.<random>.part} through a fixed buffer (hashed as it goes), forced to disk, then renamed: a
 * half-written file never carries a final name.
 */
public final class VideoFiles {

    private static final int BUFFER = 64 * 1024;
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final Path folder;
    private final PaidLog log;
    private final Ledger ledger;
    private final String host = Leases.hostName();

    private VideoFiles(Path folder, PaidLog log, Ledger ledger) {
        this.folder = folder;
        this.log = log;
        this.ledger = ledger;
    }

    /** @param realEndpoint what a real line of the folder's first-format paid log was paid to */
    public static VideoFiles open(Path folder, String realEndpoint, Ledger ledger) {
        return new VideoFiles(folder, PaidLog.open(folder, realEndpoint), ledger);
    }

    public Path folder() {
        return folder;
    }

    /**
     * A sink that saves the video of {@code key}, made for row {@code rowId}: as {@code <rowId>.<ext>} when it is the
     * row's current video, else beside it (an older version collected late never replaces the current one). Local
     * failures (disk full, no permission) are thrown unchecked; a broken download stays an IOException.
     */
    public VideoSink<SavedVideo> sinkFor(VideoKey key, String rowId, boolean current) {
        return (body, contentType) -> save(key, rowId, current, body, contentType);
    }

    /** Records a paid video in the folder's own log, forced to disk: before the ledger, which may be unreachable. */
    public void recordPaid(SavedVideo video, VideoKey key, Billing billing, String campaign) {
        log.append(new PaidLog.Record(video.fileName(), key, video.bytes(), video.sha256(), billing.cost(), billing.remainingCredits(),
                billing.requestId(), "paid", campaign));
    }

    /** Whether {@code <name>.json} is there. */
    public boolean hasMetadata(String name) {
        return Files.isRegularFile(folder.resolve(name + ".json"));
    }

    /**
     * Writes {@code <name>.json} beside a video (temp file, then rename), replacing an older one of the same name. A
     * failure is the disk's: it is thrown unchecked, like any local failure.
     */
    public void writeMetadata(String name, VideoMetadata metadata) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("campaign", metadata.campaign());
        json.put("row", metadata.row());
        json.put("id", metadata.id());
        json.put("format", metadata.format());
        json.put("take", metadata.take());
        json.put("request", metadata.request());
        json.put("request_id", metadata.requestId());
        json.put("cost", metadata.cost() == null ? null : new java.math.BigDecimal(metadata.cost().stripTrailingZeros().toPlainString()));
        json.put("remaining_credits", metadata.remainingCredits() == null ? null
                : new java.math.BigDecimal(metadata.remainingCredits().stripTrailingZeros().toPlainString()));
        json.put("generation_seconds", metadata.generationSeconds());
        json.put("sha256", metadata.sha256());
        json.put("bytes", metadata.bytes());
        json.put("made_at", metadata.madeAt() == null ? null : metadata.madeAt().toString());
        json.put("made_for", metadata.madeFor());
        byte[] text = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        Path target = folder.resolve(name + ".json");
        Path part = folder.resolve(name + ".json." + UUID.randomUUID().toString().substring(0, 8) + ".part");
        local(() -> {
            Files.write(part, text);
            return OutputFolder.replace(part, target);
        });
    }

    /**
     * v2: records a submitted request (its id and URLs) in the folder's log, forced to disk, before the database: should
     * the database fail to record it, the next run polls it instead of calling it UNCERTAIN.
     */
    public void recordSubmitted(VideoKey key, String requestId, String statusUrl, String responseUrl, String campaign) {
        log.append(new PaidLog.Record("", key, 0, "", null, null, requestId, PaidLog.SUBMITTED, campaign, statusUrl, responseUrl));
    }

    /** v2: the request the folder's log says was submitted for the video, if any. */
    public Optional<PaidLog.Record> submission(VideoKey key) {
        return log.submission(key);
    }

    /** A file of this folder holding the video, as its log knows it (the database may have forgotten it). */
    public Optional<PaidLog.Record> find(VideoKey key) {
        return log.find(key);
    }

    public SavedVideo saved(PaidLog.Record record) {
        return new SavedVideo(record.fileName(), folder.resolve(record.fileName()), record.bytes(), record.sha256());
    }

    public String host() {
        return host;
    }

    /**
     * Puts a paid video under a row's name: already there; or linked (else copied) from a file of this folder or from
     * where it was first saved, when this machine can read it and its sha256 matches; or named where it is.
     */
    public Placement place(String rowId, LedgerEntry video) {
        String target = rowId + "." + extension(video.fileName());
        synchronized (this) {
            Optional<PaidLog.Record> there = log.file(target);
            if (there.isPresent() && there.get().key().equals(video.key()) && log.intact(there.get())) {
                return new Placement(Placement.Kind.IN_PLACE, target, null, video.campaign());
            }
            Path source = log.find(video.key()).map(record -> folder.resolve(record.fileName())).orElseGet(() -> reachable(video));
            if (source == null) {
                boolean paidHere = video.filePath() != null && host.equals(video.host()) && folder.equals(Path.of(video.filePath()).getParent());
                return paidHere
                        ? new Placement(Placement.Kind.MISSING, null, null, video.campaign())
                        : new Placement(Placement.Kind.ELSEWHERE, null, (video.host() == null ? "" : video.host() + ":") + video.filePath(),
                                video.campaign());
            }
            if (source.toAbsolutePath().normalize().equals(folder.resolve(target).toAbsolutePath().normalize())) {
                // already here under the row's name, only not in this folder's log (it was lost, or written by an older version)
                log.append(new PaidLog.Record(target, video.key(), video.bytes(), video.sha256(), video.cost(), video.remainingCredits(),
                        video.requestId(), "paid", video.campaign()));
                return new Placement(Placement.Kind.IN_PLACE, target, null, video.campaign());
            }
            makeRoom(target, video.key());
            Path part = folder.resolve(target + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
            local(() -> {
                try {
                    Files.createLink(part, source);
                } catch (IOException | UnsupportedOperationException | SecurityException notHere) {
                    copy(source, part);
                }
                return OutputFolder.replace(part, folder.resolve(target));
            });
            log.append(new PaidLog.Record(target, video.key(), video.bytes(), video.sha256(), null, null, video.requestId(), "copied",
                    video.campaign()));
            return new Placement(Placement.Kind.COPIED, target, null, video.campaign());
        }
    }

    /**
     * Where a row's video is, without changing anything (for the manifest and {@code status}): in place (by the folder's
     * log and the file's size), or where it could be copied from or is, or missing.
     */
    public Placement look(String rowId, LedgerEntry video) {
        String target = rowId + "." + extension(video.fileName());
        synchronized (this) {
            Optional<PaidLog.Record> there = log.file(target);
            if (there.isPresent() && there.get().key().equals(video.key()) && log.intact(there.get(), false)) {
                return new Placement(Placement.Kind.IN_PLACE, target, null, video.campaign());
            }
        }
        boolean paidHere = video.filePath() != null && host.equals(video.host()) && folder.equals(Path.of(video.filePath()).getParent());
        if (paidHere && !Files.exists(Path.of(video.filePath()))) {
            return new Placement(Placement.Kind.MISSING, null, null, video.campaign());
        }
        String where = host.equals(video.host()) ? video.filePath() : (video.host() == null ? "" : video.host() + ":") + video.filePath();
        return new Placement(Placement.Kind.ELSEWHERE, null, where, video.campaign());
    }

    /** Where the video was first saved, if this machine can read it and it still is that video. */
    private static Path reachable(LedgerEntry video) {
        if (video.filePath() == null || video.sha256() == null) {
            return null;
        }
        Path path = Path.of(video.filePath());
        try {
            if (Files.isRegularFile(path) && (video.bytes() == null || Files.size(path) == video.bytes())
                    && video.sha256().equals(Sha256.of(path))) {
                return path;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private SavedVideo save(VideoKey key, String rowId, boolean current, InputStream body, String contentType) throws IOException {
        Path part = folder.resolve(rowId + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
        MessageDigest digest = Sha256.digest();
        byte[] head = new byte[16];
        int headLength = 0;
        long total = 0;
        local(() -> Files.createDirectories(folder));
        FileChannel out = local(() -> FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        try (out) {
            byte[] buffer = new byte[BUFFER];
            int read;
            while ((read = body.read(buffer)) != -1) {
                if (headLength < head.length) {
                    int take = Math.min(read, head.length - headLength);
                    System.arraycopy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                digest.update(buffer, 0, read);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                local(() -> {
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    return null;
                });
                total += read;
            }
            local(() -> {
                out.force(true);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        String extension = extension(head, headLength, contentType);
        String fileName = current ? rowId + "." + extension : aside(rowId, key, extension, false);
        synchronized (this) {
            makeRoom(fileName, key);
            local(() -> OutputFolder.replace(part, folder.resolve(fileName)));
        }
        return new SavedVideo(fileName, folder.resolve(fileName), total, Sha256.hex(digest));
    }

    /**
     * Whatever holds {@code fileName} moves aside, unless it is this very video: an earlier take or version of the row
     * (its log record and ledger line follow it), or a file nobody recorded ({@code .previous}).
     */
    private void makeRoom(String fileName, VideoKey coming) {
        Path target = folder.resolve(fileName);
        if (!Files.exists(target)) {
            return;
        }
        Optional<PaidLog.Record> known = log.file(fileName).filter(log::intact);
        if (known.isPresent() && known.get().key().equals(coming)) {
            return; // the same video again (a result downloaded twice): replacing it loses nothing
        }
        String base = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        String extension = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.') + 1) : "bin";
        Path moved = unused(known.isPresent()
                ? aside(base, known.get().key(), extension, known.get().key().requestHash().equals(coming.requestHash()))
                : fileName + ".previous");
        local(() -> Files.move(target, moved));
        known.ifPresent(record -> {
            PaidLog.Record there = new PaidLog.Record(moved.getFileName().toString(), record.key(), record.bytes(), record.sha256(),
                    record.cost(), record.remainingCredits(), record.requestId(), record.origin(), record.campaign());
            log.append(there);
            try {
                ledger.moved(record.key(), target, new SavedVideo(there.fileName(), moved, there.bytes(), there.sha256()));
            } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
                // the folder's log says where it went; the paid video coming in must still be saved
            }
        });
    }

    /** {@code <id>.take<n>.<ext>} beside a later take of the same request; {@code <id>.<hash8>[.take<n>].<ext>} beside another version. */
    private static String aside(String rowId, VideoKey key, String extension, boolean sameRequest) {
        String take = key.take() > 1 || sameRequest ? ".take" + key.take() : "";
        return rowId + (sameRequest ? "" : "." + key.shortHash()) + take + "." + extension;
    }

    /** {@code name}, or {@code name.2}, {@code name.3}...: whichever does not exist yet, so nothing set aside is overwritten. */
    private Path unused(String name) {
        Path candidate = folder.resolve(name);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = folder.resolve(name + "." + n);
        }
        return candidate;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream stream = java.nio.channels.Channels.newOutputStream(out);
            in.transferTo(stream);
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(to);
            throw e;
        }
    }

    /** The average size of this folder's videos (0 when it has none yet): what one more will probably need. */
    public long averageVideoBytes() {
        return log.averageBytes();
    }

    /** Free space in the folder's file system, for the "space needed" sentence (-1 when it cannot be read). */
    public long usableSpace() {
        try {
            FileStore store = Files.getFileStore(Files.exists(folder) ? folder : folder.getParent());
            return store.getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String extension(String fileName) {
        if (fileName == null || !fileName.contains(".")) {
            return "mp4";
        }
        return fileName.substring(fileName.lastIndexOf('.') + 1);
    }

    static String extension(byte[] head, int length, String contentType) {
        if (length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            return head[8] == 'q' && head[9] == 't' ? "mov" : "mp4";
        }
        if (length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3) {
            return "webm";
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return switch (type) {
            case "video/mp4" -> "mp4";
            case "video/quicktime" -> "mov";
            case "video/webm" -> "webm";
            case "image/gif" -> "gif";
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> "bin";
        };
    }

    /** Runs a local file operation; its failure is ours, not the download's, so it becomes unchecked. */
    private static <T> T local(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }
}
