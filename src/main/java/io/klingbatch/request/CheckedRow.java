package io.klingbatch.request;

import io.klingbatch.campaign.PromptRow;
import java.util.List;
import java.util.stream.Collectors;

/** A row after its checks: either a request to send, or the reasons it will never be sent. */
public sealed interface CheckedRow {

    PromptRow row();

    record Accepted(PromptRow row, VideoRequest request) implements CheckedRow {
    }

    record Rejected(PromptRow row, List<FieldError> errors) implements CheckedRow {

        /** All errors of the row, each naming its field, as one line. */
        public String reason() {
            return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        }
    }
}
