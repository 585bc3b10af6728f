package io.klingbatch.generation;

import io.klingbatch.request.ImageInput;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.segmind.KlingRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;

/**
 * From a checked {@link VideoRequest} to the API's body. A local image is read and base64-encoded only now,
 * just before sending (plain base64, no {@code data:} prefix), so rows waiting in a chunk hold no image bytes.
 */
final class RequestMapper {

    private RequestMapper() {
    }

    static KlingRequest toApi(VideoRequest request) {
        return new KlingRequest(request.prompt(), request.negativePrompt(), request.cfgScale(), request.duration(),
                request.mode(), request.aspectRatio(), image(request.image()));
    }

    private static String image(ImageInput image) {
        if (image == null) {
            return null;
        }
        if (image instanceof ImageInput.Url url) {
            return url.url();
        }
        ImageInput.LocalFile file = (ImageInput.LocalFile) image;
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file.path()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file.path(), e);
        }
    }
}
