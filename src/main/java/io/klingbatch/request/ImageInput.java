package io.klingbatch.request;

import java.nio.file.Path;

/** The optional start image of a request: a URL passed through, or a checked local file sent as base64. */
public sealed interface ImageInput {

    /** What identifies this image's content, for the request fingerprint. */
    String fingerprint();

    record Url(String url) implements ImageInput {
        @Override
        public String fingerprint() {
            return "url:" + url;
        }
    }

    /** A PNG or JPEG inside the CSV's folder; its sha256 pins the content the row was checked with. */
    record LocalFile(Path path, long size, String sha256) implements ImageInput {
        @Override
        public String fingerprint() {
            return "file-sha256:" + sha256;
        }
    }
}
