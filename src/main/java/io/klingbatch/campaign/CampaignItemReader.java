package io.klingbatch.campaign;

import java.nio.file.Path;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * A worker's reader: the rows {@code first..last} of the campaign CSV, as a restartable item stream. Its position
 * (rows returned) is saved with every chunk. Rows before its range, and before its position on restart, are read
 * again but not returned, which also rebuilds the set of ids seen, so a duplicate id is caught in any partition.
 */
public class CampaignItemReader extends AbstractItemCountingItemStreamItemReader<PromptRow> {

    private final Path file;
    private final int first;
    private CampaignCsv csv;

    /** Reads data rows {@code first} to {@code last} (1-based, inclusive). */
    public CampaignItemReader(Path file, int first, int last) {
        this.file = file;
        this.first = first;
        setName("campaignCsv");
        setMaxItemCount(Math.max(1, last - first + 1)); // an empty range (no data rows) reads nothing anyway
    }

    @Override
    protected void doOpen() {
        csv = CampaignCsv.open(file);
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
