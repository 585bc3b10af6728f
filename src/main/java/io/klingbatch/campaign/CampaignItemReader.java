package io.klingbatch.campaign;

import java.nio.file.Path;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * The step's reader: {@link CampaignCsv} as a restartable item stream. Its position (rows read) is saved with
 * every chunk; on restart the rows before it are read again but not returned, which also rebuilds the set of
 * ids seen so duplicates are still caught.
 */
public class CampaignItemReader extends AbstractItemCountingItemStreamItemReader<PromptRow> {

    private final Path file;
    private CampaignCsv csv;

    public CampaignItemReader(Path file) {
        this.file = file;
        setName("campaignCsv");
    }

    @Override
    protected void doOpen() {
        csv = CampaignCsv.open(file);
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
