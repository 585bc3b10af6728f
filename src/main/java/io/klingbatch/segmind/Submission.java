package io.klingbatch.segmind;

import java.net.URI;

/** A v2 generation the API accepted: what must be stored before any waiting, so a restart polls instead of paying again. */
public record Submission(String requestId, URI statusUrl, URI responseUrl) {
}
