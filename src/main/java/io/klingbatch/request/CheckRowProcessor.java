package io.klingbatch.request;

import io.klingbatch.campaign.PromptRow;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The step's processor. A bad row is not filtered out or thrown: it goes on to the writer as
 * {@link CheckedRow.Rejected}, so it is reported and never sent, and no skip policy is needed.
 */
public class CheckRowProcessor implements ItemProcessor<PromptRow, CheckedRow> {

    private final RequestValidator validator;

    public CheckRowProcessor(RequestValidator validator) {
        this.validator = validator;
    }

    @Override
    public CheckedRow process(PromptRow row) {
        return validator.check(row);
    }
}
