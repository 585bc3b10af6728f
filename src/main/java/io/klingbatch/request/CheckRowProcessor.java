package io.klingbatch.request;

import io.klingbatch.campaign.PromptRow;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * The step's processor. A bad row is not filtered out or thrown: it goes on to the writer as
 * {@link CheckedRow.Rejected}, so it is reported and never sent, and no skip policy is needed.
 */
public class CheckRowProcessor implements ItemProcessor<PromptRow, CheckedRow> {

    private final java.util.function.Function<PromptRow, CheckedRow> checks;

    /** @param checks the row's checks and videos ({@link CampaignChecks#processorFor}) */
    CheckRowProcessor(java.util.function.Function<PromptRow, CheckedRow> checks) {
        this.checks = checks;
    }

    public CheckRowProcessor(RequestValidator validator) {
        this(validator::check);
    }

    @Override
    public CheckedRow process(PromptRow row) {
        return checks.apply(row);
    }
}
