package io.klingbatch.generation;

import io.klingbatch.Sha256;
import io.klingbatch.segmind.VideoSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Saves a video body into the output folder without ever holding it in memory: socket to
 * {@code <id>.part} through a fixed buffer (hashing as it goes), forced to disk, then renamed atomically to
 * {@code <id>.<ext>}. A half-written file never carries a final name.
 *
 * <p>The extension comes from the bytes first (an MP4 starts with an {@code ftyp} box), then the Content-Type:
 * the API's docs have been wrong about the type before.
 */
final class VideoStore {

    private static final int BUFFER = 64 * 1024;

    private final Path folder;
    private final Ledger ledger;

    VideoStore(Path folder, Ledger ledger) {
        this.folder = folder;
        this.ledger = ledger;
    }

    /** A sink that saves one video as {@code <id>.<ext>}. Reading errors stay IOExceptions (the download broke). */
    VideoSink<StoredVideo> sinkFor(VideoKey key) {
        return (body, contentType) -> save(key.videoId(), body, contentType, fileName -> makeRoom(key, fileName));
    }

    /**
     * A new version of a row takes the name {@code <id>.mp4}. Whatever file had that name is kept: an older paid
     * version (real or simulated) becomes {@code <id>.<hash8>.mp4} with the ledger updated, and a file the ledger
     * does not know becomes {@code <name>.previous}. A paid result is never overwritten.
     */
    private void makeRoom(VideoKey key, String fileName) {
        Path target = folder.resolve(fileName);
        for (LedgerEntry older : ledger.paidVersions(key.campaign(), key.videoId())) {
            if (!older.key().equals(key) && fileName.equals(older.fileName()) && Files.exists(target)) {
                String aside = key.videoId() + "." + older.key().requestHash().substring(0, 8)
                        + (older.key().simulated() ? ".simulated" : "") + fileName.substring(key.videoId().length());
                Path moved = unused(aside);
                local(() -> Files.move(target, moved));
                ledger.moved(older.key(), moved.getFileName().toString());
            }
        }
        if (Files.exists(target)) {
            local(() -> Files.move(target, unused(fileName + ".previous")));
        }
    }

    private StoredVideo save(String id, InputStream body, String contentType, FileMover mover) throws IOException {
        Path part = folder.resolve(id + "." + java.util.UUID.randomUUID().toString().substring(0, 8) + ".part"); // two versions may download at once
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
        String fileName = id + "." + extension(head, headLength, contentType);
        Path target = folder.resolve(fileName);
        mover.makeRoom(fileName);
        local(() -> move(part, target));
        return new StoredVideo(fileName, total, Sha256.hex(digest));
    }

    private static Path move(Path from, Path to) throws IOException {
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code name}, or {@code name.2}, {@code name.3}...: whichever does not exist yet, so nothing set aside is overwritten. */
    private Path unused(String name) {
        Path candidate = folder.resolve(name);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = folder.resolve(name + "." + n);
        }
        return candidate;
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

    /** Moves an older paid version out of the way before a new version takes its file name. */
    @FunctionalInterface
    interface FileMover {
        void makeRoom(String fileName);
    }
}
