package io.klingbatch.request;

import io.klingbatch.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Checks an {@code image_url} cell: an http(s) URL is passed through; anything else is a local PNG or JPEG
 * inside the CSV's folder. Confinement matters because a campaign CSV may come from someone else: a row must
 * not be able to send {@code ../../.ssh/id_rsa} to a third party as "an image".
 */
final class ImageChecker {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private final Path folder;

    ImageChecker(Path csvFolder) {
        this.folder = csvFolder.toAbsolutePath().normalize();
    }

    /** The checked image, or throws {@link IllegalArgumentException} with a message for the user. */
    ImageInput check(String cell) {
        String value = cell.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return url(value);
        }
        if (lower.startsWith("data:")) {
            throw new IllegalArgumentException("give an http(s) URL or an image file next to the CSV, not a data: URI");
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("only http and https URLs are allowed (got '" + value + "')");
        }
        return localFile(value);
    }

    private static ImageInput url(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException("'" + value + "' has no host");
            }
            return new ImageInput.Url(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid URL: " + e.getReason());
        }
    }

    private ImageInput localFile(String value) {
        Path relative;
        try {
            relative = Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid file path");
        }
        if (relative.isAbsolute() || value.startsWith("/") || value.startsWith("\\")) {
            throw new IllegalArgumentException("'" + value + "' must be a path relative to the CSV's folder, not an absolute path");
        }
        Path file = folder.resolve(relative).normalize();
        if (!file.startsWith(folder)) {
            throw new IllegalArgumentException("'" + value + "' points outside the CSV's folder");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no image file '" + value + "' next to the CSV");
        }
        try {
            if (!file.toRealPath().startsWith(folder.toRealPath())) {
                throw new IllegalArgumentException("'" + value + "' links to a file outside the CSV's folder");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
                throw new IllegalArgumentException("'" + value + "' is not a file");
            }
            long size = Files.size(file);
            if (size > ApiDefaults.MAX_IMAGE_BYTES) {
                throw new IllegalArgumentException("'" + value + "' is " + size + " bytes; images may be at most 10 MB");
            }
            return new ImageInput.LocalFile(file, size, checkedSha256(file, value));
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + value + "' cannot be read: " + e.getMessage());
        }
    }

    private static String checkedSha256(Path file, String value) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            byte[] head = in.readNBytes(PNG.length);
            if (!startsWith(head, PNG) && !startsWith(head, JPEG)) {
                throw new IllegalArgumentException("'" + value + "' is not a PNG or JPEG image");
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Sha256.hex(digest);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
