package io.klingbatch.campaign;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * A worker's reader: the rows {@code first..last} of the campaign CSV, as a restartable item stream. Its position
 * (rows returned) is saved with every chunk. Rows before its range, and before its position on restart, are read
 * again but not returned, which also rebuilds the set of ids seen, so a duplicate id is caught in any partition.
 */
public class CampaignItemReader extends AbstractItemCountingItemStreamItemReader<PromptRow> {

    private final Supplier<CampaignCsv> opener;
    private final int first;
    private CampaignCsv csv;

    /** Reads data rows {@code first} to {@code last} (1-based, inclusive) of a bare CSV or workbook. */
    public CampaignItemReader(Path file, int first, int last) {
        this(() -> CampaignCsv.open(file), first, last);
    }

    /** Reads data rows {@code first} to {@code last} (1-based, inclusive) of a campaign's file, as its job file says (sheet, templates). */
    public CampaignItemReader(Campaign campaign, int first, int last) {
        this(() -> CampaignCsv.open(campaign), first, last);
    }

    private CampaignItemReader(Supplier<CampaignCsv> opener, int first, int last) {
        this.opener = opener;
        this.first = first;
        setName("campaignCsv");
        setMaxItemCount(Math.max(1, last - first + 1)); // an empty range (no data rows) reads nothing anyway
    }

    @Override
    protected void doOpen() {
        csv = opener.get();
        for (int row = 1; row < first && csv.next() != null; row++) {
            // rows of other partitions: only their ids matter here
        }
    }

    @Override
    protected PromptRow doRead() {
        return csv.next();
    }

    @Override
    protected void doClose() {
        if (csv != null) {
            csv.close();
            csv = null;
        }
    }
}
