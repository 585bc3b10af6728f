package io.klingbatch.request;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignCsv;
import io.klingbatch.campaign.CampaignFileException;
import io.klingbatch.campaign.PromptRow;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Checks a whole campaign without calling anything: the job file's defaults, then every row in CSV order.
 * Used by {@code validate}, by {@code run} before its first paid call, and by the manifest.
 */
@Component
public class CampaignChecks {

    private final RequestProperties properties;

    CampaignChecks(RequestProperties properties) {
        this.properties = properties;
    }

    /** The validator for a campaign's rows; a bad default in the job file makes the whole campaign unusable. */
    public RequestValidator validatorFor(Campaign campaign) {
        RequestValidator validator = new RequestValidator(properties, campaign.defaults(), campaign.csvFolder());
        List<FieldError> errors = validator.checkDefaults();
        if (!errors.isEmpty()) {
            throw new CampaignFileException(campaign.source(), "bad default: " + errors.get(0).field() + " " + errors.get(0).message());
        }
        return validator;
    }

    /**
     * Checks every row in order and hands each result on, in constant memory.
     *
     * @return the header's unknown columns
     * @throws CampaignFileException when the file is unusable (before or during the scan)
     */
    public List<String> scan(Campaign campaign, Consumer<CheckedRow> each) {
        RequestValidator validator = validatorFor(campaign);
        try (CampaignCsv csv = CampaignCsv.open(campaign.csv())) {
            PromptRow row;
            boolean any = false;
            while ((row = csv.next()) != null) {
                any = true;
                each.accept(validator.check(row));
            }
            if (!any) {
                throw new CampaignFileException(campaign.csv(), "has a header but no data rows: add one row per video");
            }
            return csv.unknownColumns();
        }
    }
}
