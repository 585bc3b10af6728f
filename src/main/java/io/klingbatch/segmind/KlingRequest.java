package io.klingbatch.segmind;

import java.math.BigDecimal;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body of {@code POST /v1/kling-2.5-turbo}, exactly the seed's shape: {@code cfg_scale} a JSON number,
 * {@code duration} a JSON string, {@code image_url} only when there is an image (a URL or plain base64).
 */
public record KlingRequest(String prompt, String negativePrompt, BigDecimal cfgScale, String duration, String mode,
                           String aspectRatio, String imageUrl) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("prompt", prompt);
        body.put("negative_prompt", negativePrompt);
        body.put("cfg_scale", cfgScale);
        body.put("duration", duration);
        body.put("mode", mode);
        body.put("aspect_ratio", aspectRatio);
        if (imageUrl != null) {
            body.put("image_url", imageUrl);
        }
        return JSON.writeValueAsBytes(body);
    }

    /** Never prints a base64 image (megabytes) into a log line. */
    @Override
    public String toString() {
        return "KlingRequest[prompt=" + prompt + ", duration=" + duration + ", aspect_ratio=" + aspectRatio
                + (imageUrl == null ? "" : ", image=" + (imageUrl.startsWith("http") ? imageUrl : imageUrl.length() + " base64 chars")) + "]";
    }
}
