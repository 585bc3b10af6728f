package io.klingbatch.generation;

/** A video safely on disk: its file name inside the output folder, size and sha256. */
public record StoredVideo(String fileName, long bytes, String sha256) {
}
