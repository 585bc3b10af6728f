package io.klingbatch.generation;

import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.output.VideoMetadata;
import io.klingbatch.request.ImageInput;
import io.klingbatch.request.VideoRequest;
import io.klingbatch.segmind.Billing;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which row, format and take a video is for, and the request it is: what its {@code <name>.json} says.
 *
 * @param request null for a video an earlier run left waiting whose row is no longer in the CSV
 */
record VideoFor(String campaign, int row, String id, String format, int take, VideoRequest request) {

    /** The metadata of a video paid for now. */
    VideoMetadata paid(SavedVideo video, Billing billing, Instant now) {
        return new VideoMetadata(campaign, row, id, format, take, body(), billing.requestId(), billing.cost(), billing.remainingCredits(),
                billing.generationTime(), video.sha256(), video.bytes(), now, campaign);
    }

    /** The metadata of a video made earlier (for this row or another, this campaign or another) and put in place here. */
    VideoMetadata madeEarlier(LedgerEntry video) {
        return new VideoMetadata(campaign, row, id, format, take, body(), video.requestId(), video.cost(), video.remainingCredits(), null,
                video.sha256(), video.bytes() == null ? 0 : video.bytes(), video.updatedAt(), video.campaign());
    }

    /** The request body as sent, a local image as the sha256 of its bytes (megabytes of base64 say nothing to a reader). */
    private Map<String, Object> body() {
        if (request == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt", request.prompt());
        body.put("negative_prompt", request.negativePrompt());
        body.put("cfg_scale", request.cfgScale());
        body.put("duration", request.duration());
        body.put("mode", request.mode());
        body.put("aspect_ratio", request.aspectRatio());
        if (request.image() instanceof ImageInput.Url url) {
            body.put("image_url", url.url());
        } else if (request.image() instanceof ImageInput.LocalFile file) {
            body.put("image_url", "sha256:" + file.sha256());
        }
        return body;
    }
}
