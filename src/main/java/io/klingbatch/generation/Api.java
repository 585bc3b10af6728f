package io.klingbatch.generation;

import java.util.Locale;

/** Which Segmind API shape a run uses. */
public enum Api {
    /** {@code POST /v1/...}: one blocking call that answers with the video (the seed's shape). */
    V1,
    /** {@code POST /v2/...}, then poll: the request id is known seconds after submitting, so nothing is ever paid twice. */
    V2;

    /** {@code v1} or {@code v2}, any case; null for null. */
    public static Api parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "v1" -> V1;
            case "v2" -> V2;
            default -> throw new IllegalArgumentException("'api' must be v1 or v2 (got '" + text.strip() + "')");
        };
    }
}
