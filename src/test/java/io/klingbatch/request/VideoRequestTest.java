package io.klingbatch.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoRequestTest {

    private static final ImageInput.Url IMAGE = new ImageInput.Url("https://example.com/a.png");

    private static VideoRequest request() {
        return new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "pro", "16:9", IMAGE);
    }

    @Test
    void equalRequestsHaveEqualFingerprints() {
        assertThat(request().fingerprint()).isEqualTo(request().fingerprint()).hasSize(64);
    }

    @Test
    void trailingZerosOfCfgScaleDoNotChangeTheFingerprint() {
        VideoRequest zeros = new VideoRequest("a cat", "no blur", new BigDecimal("0.70"), "10", "pro", "16:9", IMAGE);

        assertThat(zeros.fingerprint()).isEqualTo(request().fingerprint());
    }

    @Test
    void changingAnyFieldChangesTheFingerprint() {
        List<VideoRequest> changed = List.of(
                new VideoRequest("a dog", "no blur", new BigDecimal("0.7"), "10", "pro", "16:9", IMAGE),
                new VideoRequest("a cat", "no rain", new BigDecimal("0.7"), "10", "pro", "16:9", IMAGE),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.5"), "10", "pro", "16:9", IMAGE),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "5", "pro", "16:9", IMAGE),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "std", "16:9", IMAGE),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "pro", "9:16", IMAGE),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "pro", "16:9", new ImageInput.Url("https://example.com/b.png")),
                new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "pro", "16:9", null));

        String original = request().fingerprint();

        assertThat(changed).extracting(VideoRequest::fingerprint).doesNotContain(original).doesNotHaveDuplicates();
    }

    @Test
    void localImageCountsByContentNotPath() {
        ImageInput.LocalFile here = new ImageInput.LocalFile(Path.of("/a/start.png"), 100, "ab12");
        ImageInput.LocalFile moved = new ImageInput.LocalFile(Path.of("/b/renamed.png"), 100, "ab12");
        ImageInput.LocalFile edited = new ImageInput.LocalFile(Path.of("/a/start.png"), 100, "cd34");

        assertThat(withImage(moved).fingerprint()).isEqualTo(withImage(here).fingerprint());
        assertThat(withImage(edited).fingerprint()).isNotEqualTo(withImage(here).fingerprint());
    }

    private static VideoRequest withImage(ImageInput image) {
        return new VideoRequest("a cat", "no blur", new BigDecimal("0.7"), "10", "pro", "16:9", image);
    }
}
