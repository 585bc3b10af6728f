package io.klingbatch.generation;

/** Which video a ledger line is about: a campaign's output folder, the row id, the request version, the mode. */
public record VideoKey(String campaign, String videoId, String requestHash, boolean simulated) {
}
