package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KlingRequestTest {

    static final String SEED_PROMPT = "A beloved community figure moves through a 1920s street carnival, warmly interacting "
            + "with attendees. Vintage cars, dancing performers, and striped carnival tents fill the scene. Camera follows "
            + "closely in a handheld cinematic style, capturing intimate smiles and connections, shallow depth of field, "
            + "4K UHD, golden warm lighting.";

    static KlingRequest seed(String duration, String imageUrl) {
        return new KlingRequest(SEED_PROMPT, "no dark tones, no blur, no distort", new BigDecimal("0.7"), duration, "pro", "16:9", imageUrl);
    }

    private static String json(KlingRequest request) {
        return new String(request.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void seedRowGivesExactlyTheSeedBody() {
        assertThat(json(seed("10", null))).isEqualTo("{\"prompt\":\"" + SEED_PROMPT + "\","
                + "\"negative_prompt\":\"no dark tones, no blur, no distort\","
                + "\"cfg_scale\":0.7,"
                + "\"duration\":\"10\","
                + "\"mode\":\"pro\","
                + "\"aspect_ratio\":\"16:9\"}");
    }

    @Test
    void imageUrlIsTheLastKeyWhenThereIsAnImage() {
        assertThat(json(seed("5", "https://example.com/a.png")))
                .contains("\"duration\":\"5\"")
                .endsWith(",\"aspect_ratio\":\"16:9\",\"image_url\":\"https://example.com/a.png\"}");
    }

    @Test
    void quotesInThePromptAreEscaped() {
        KlingRequest request = new KlingRequest("say \"hi\"\nnow", "n", new BigDecimal("1"), "5", "pro", "1:1", null);

        assertThat(json(request)).startsWith("{\"prompt\":\"say \\\"hi\\\"\\nnow\",").contains("\"cfg_scale\":1,");
    }

    @Test
    void toStringNeverContainsABase64Image() {
        String base64 = "iVBORw0KGgo" + "A".repeat(100_000);

        String text = seed("10", base64).toString();

        assertThat(text).doesNotContain("iVBORw0KGgo").contains("image=100011 base64 chars").hasSizeLessThan(1_000);
    }

    @Test
    void toStringShowsAnImageUrl() {
        assertThat(seed("10", "https://example.com/a.png").toString()).contains("image=https://example.com/a.png");
    }
}
