package io.klingbatch.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Cuts a campaign's rows into contiguous ranges, one per partition. Ranges depend only on the row count and the
 * grid size, and Spring Batch keeps the grid size of the first run on restart, so a restarted run finds the same
 * partitions, each resuming from its own saved position.
 */
final class RowRangePartitioner implements Partitioner {

    static final String FIRST = "first";
    static final String LAST = "last";

    private final int rows;

    RowRangePartitioner(int rows) {
        this.rows = rows;
    }

    /**
     * How many partitions a run of {@code rows} rows with {@code workers} workers gets: about 16 per worker (fewer
     * for a small campaign, never more than one per row). Many partitions keep every worker busy to the end (a
     * worker that finishes takes the next range, so no one waits for a slow call it does not own); a bounded count
     * keeps the job repository's bookkeeping, and each reader's skip to its range, small for huge campaigns.
     */
    static int gridSize(int rows, int workers) {
        if (rows <= 0) {
            return 1;
        }
        int size = Math.max(1, (int) Math.ceil(rows / (workers * 16.0)));
        return (int) Math.ceil(rows / (double) size);
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        int partitions = Math.max(1, Math.min(gridSize, Math.max(rows, 1)));
        Map<String, ExecutionContext> ranges = new LinkedHashMap<>();
        int first = 1;
        for (int i = 0; i < partitions; i++) {
            int size = rows / partitions + (i < rows % partitions ? 1 : 0);
            ExecutionContext context = new ExecutionContext();
            context.putInt(FIRST, first);
            context.putInt(LAST, first + size - 1);
            ranges.put(String.format("rows%06d", first), context);
            first += size;
        }
        return ranges;
    }
}
