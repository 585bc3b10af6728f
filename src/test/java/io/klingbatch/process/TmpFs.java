package io.klingbatch.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a folder, for disk-full tests: {@code mount -t tmpfs -o size=NNk tmpfs DIR}, unmounted
 * on {@link #close()} (lazily if something still uses it). Mounting needs root: as anyone else, or where root may not
 * mount (a container without CAP_SYS_ADMIN), {@link #mount(Path, long)} aborts the test with a JUnit assumption.
 *
 * <pre>{@code
 * try (TmpFs disk = TmpFs.mount(tempDir.resolve("small"), 256)) {   // 256 KiB
 *     ... run the child with its output folder under disk.path() ...
 * }
 * }</pre>
 */
public final class TmpFs implements AutoCloseable {

    private final Path path;
    private final long sizeKib;
    private boolean mounted = true;

    private TmpFs(Path path, long sizeKib) {
        this.path = path;
        this.sizeKib = sizeKib;
    }

    /**
     * Mounts a tmpfs of {@code sizeKib} KiB on {@code directory} (created if missing). The tmpfs starts empty and
     * hides what the folder held until it is unmounted.
     */
    public static TmpFs mount(Path directory, long sizeKib) {
        if (sizeKib < 1) {
            throw new IllegalArgumentException("a tmpfs needs at least 1 KiB, got " + sizeKib);
        }
        long uid = uid();
        Assumptions.assumeTrue(uid == 0, "TmpFs mounts a tmpfs, which needs root; this test runs as uid " + uid + ", so it is skipped");
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = run("mount", "-t", "tmpfs", "-o", "size=" + sizeKib + "k", "tmpfs", dir.toString());
        if (result.code != 0) {
            String said = result.output.toLowerCase(Locale.ROOT);
            boolean notAllowed = said.contains("permission denied") || said.contains("not permitted") || said.contains("must be superuser")
                    || said.startsWith("cannot run mount");
            Assumptions.assumeFalse(notAllowed, "root may not mount a tmpfs here (" + result.output.strip() + "), so this test is skipped");
            throw new IllegalStateException("mount -t tmpfs on " + dir + " failed (" + result.code + "): " + result.output.strip());
        }
        return new TmpFs(dir, sizeKib);
    }

    /** The mount point. */
    public Path path() {
        return path;
    }

    /** Its size in bytes. */
    public long sizeBytes() {
        return sizeKib * 1024;
    }

    /** Bytes still free on it. */
    public long freeBytes() {
        try {
            return Files.getFileStore(path).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #path()} is a mount point now (read from {@code /proc/self/mounts}). */
    public boolean isMounted() {
        return isMountPoint(path);
    }

    /** Whether {@code dir} is a mount point now (read from {@code /proc/self/mounts}). */
    public static boolean isMountPoint(Path dir) {
        String wanted = dir.toAbsolutePath().normalize().toString();
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8);
            return mounts.stream().map(line -> line.split(" ")).filter(fields -> fields.length > 1)
                    .anyMatch(fields -> unescape(fields[1]).equals(wanted));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts it; if it is busy (a child still has a file open there), detaches it lazily. */
    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        Result result = run("umount", path.toString());
        if (result.code != 0) {
            Result lazy = run("umount", "-l", path.toString());
            if (lazy.code != 0 && isMountPoint(path)) {
                throw new IllegalStateException("cannot unmount the tmpfs on " + path + ": " + result.output.strip() + " / " + lazy.output.strip());
            }
        }
        mounted = false;
    }

    @Override
    public String toString() {
        return "tmpfs of " + sizeKib + " KiB on " + path;
    }

    /** /proc/self/mounts writes a space as \040, a tab as \011, a newline as \012 and a backslash as \134. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: fall back on the user name
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
