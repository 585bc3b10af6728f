package io.klingbatch.request;

import io.klingbatch.Sha256;
import java.math.BigDecimal;

/**
 * A checked request for one video, defaults applied: exactly what will be sent, nothing about HTTP.
 *
 * @param image       null when the row has no image
 * @param fingerprint a hash of everything that shapes the video. The ledger keys paid calls by it, so a row whose fields
 *                    changed is a new version (paid again), and an unchanged row is never paid twice. A local image
 *                    counts by its content, not its path. Derived: always computed here from the other components (any
 *                    value given is replaced), once, because a row's fingerprint is asked for five times a pass and a
 *                    sha256 each time was half of {@code validate}'s time on a million rows.
 */
public record VideoRequest(String prompt, String negativePrompt, BigDecimal cfgScale, String duration, String mode,
                           String aspectRatio, ImageInput image, String fingerprint) {

    public VideoRequest {
        fingerprint = Sha256.of(String.join("\u0000", prompt, negativePrompt, cfgScale.stripTrailingZeros().toPlainString(),
                duration, mode, aspectRatio, image == null ? "" : image.fingerprint()));
    }

    public VideoRequest(String prompt, String negativePrompt, BigDecimal cfgScale, String duration, String mode, String aspectRatio,
                        ImageInput image) {
        this(prompt, negativePrompt, cfgScale, duration, mode, aspectRatio, image, null);
    }

    /** The same request in another aspect ratio (one of a row's formats). */
    public VideoRequest withAspectRatio(String format) {
        if (format.equals(aspectRatio)) {
            return this; // no second sha256 for a row of one format
        }
        return new VideoRequest(prompt, negativePrompt, cfgScale, duration, mode, format, image);
    }
}
