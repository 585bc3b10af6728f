package io.klingbatch.request;

import io.klingbatch.Sha256;
import java.math.BigDecimal;

/**
 * A checked request for one video, defaults applied: exactly what will be sent, nothing about HTTP.
 *
 * @param image null when the row has no image
 */
public record VideoRequest(String prompt, String negativePrompt, BigDecimal cfgScale, String duration, String mode,
                           String aspectRatio, ImageInput image) {

    /** The same request in another aspect ratio (one of a row's formats). */
    public VideoRequest withAspectRatio(String format) {
        return new VideoRequest(prompt, negativePrompt, cfgScale, duration, mode, format, image);
    }

    /**
     * A hash of everything that shapes the video. The ledger keys paid calls by it, so a row whose fields
     * changed is a new version (paid again), and an unchanged row is never paid twice. A local image counts
     * by its content, not its path.
     */
    public String fingerprint() {
        String canonical = String.join("\u0000", prompt, negativePrompt, cfgScale.stripTrailingZeros().toPlainString(),
                duration, mode, aspectRatio, image == null ? "" : image.fingerprint());
        return Sha256.of(canonical);
    }
}
