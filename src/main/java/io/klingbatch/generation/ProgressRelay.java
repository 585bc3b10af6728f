package io.klingbatch.generation;

import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.output.Placement;
import io.klingbatch.request.CheckedRow;
import org.springframework.stereotype.Component;

/** The run's progress events, passed on to whoever listens (the console in the CLI, nobody in tests). */
@Component
public class ProgressRelay implements RunProgress {

    private volatile RunProgress listener = RunProgress.NONE;

    public void listen(RunProgress newListener) {
        this.listener = newListener == null ? RunProgress.NONE : newListener;
    }

    @Override
    public void rejected(CheckedRow.Rejected row) {
        listener.rejected(row);
    }

    @Override
    public void generated(String id, int row, SavedVideo video) {
        listener.generated(id, row, video);
    }

    @Override
    public void reused(String id, int row, Placement placement) {
        listener.reused(id, row, placement);
    }

    @Override
    public void pending(String id, int row, String why) {
        listener.pending(id, row, why);
    }

    @Override
    public void failed(String id, int row, String reason) {
        listener.failed(id, row, reason);
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        listener.uncertain(id, row, reason);
    }

    @Override
    public void paid(java.math.BigDecimal cost, java.math.BigDecimal remainingCredits) {
        listener.paid(cost, remainingCredits);
    }

    @Override
    public void notice(String sentence) {
        listener.notice(sentence);
    }
}
