package io.klingbatch.job;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.StepExecution;

/**
 * Hands row ranges to the workers in CSV order (Spring Batch keeps partitions in a hash set), so a campaign is
 * made top to bottom, and a stop leaves the later rows, not random ones, for the next run.
 */
final class RowOrderPartitionHandler extends TaskExecutorPartitionHandler {

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions) throws Exception {
        Set<StepExecution> inRowOrder = partitions.stream()
                .sorted(Comparator.comparingInt(partition -> partition.getExecutionContext().getInt(RowRangePartitioner.FIRST, 0)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return super.doHandle(managerStepExecution, inRowOrder);
    }
}
