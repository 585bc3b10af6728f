package io.klingbatch.ledger;

import java.nio.file.Path;

/** A video complete on disk: its file name in the output folder, where that is, and what it holds. */
public record SavedVideo(String fileName, Path path, long bytes, String sha256) {
}
