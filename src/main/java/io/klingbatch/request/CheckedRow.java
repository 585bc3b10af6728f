package io.klingbatch.request;

import io.klingbatch.campaign.PromptRow;
import java.util.List;
import java.util.stream.Collectors;

/** A row after its checks: either a request to send, or the reasons it will never be sent. */
public sealed interface CheckedRow {

    PromptRow row();

    /**
     * A row to send.
     *
     * @param request the row's request (in its own aspect ratio)
     * @param videos  what it makes: one video per format, each with its request and file name (before takes)
     */
    record Accepted(PromptRow row, VideoRequest request, List<VideoSpec> videos) implements CheckedRow {

        /** One video, in the row's own aspect ratio, named by its id. */
        public Accepted(PromptRow row, VideoRequest request) {
            this(row, request, List.of(new VideoSpec(request.aspectRatio(), request, row.id())));
        }

        public Accepted {
            videos = List.copyOf(videos);
        }
    }

    record Rejected(PromptRow row, List<FieldError> errors) implements CheckedRow {

        /** All errors of the row, each naming its field, as one line. */
        public String reason() {
            return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        }
    }
}
