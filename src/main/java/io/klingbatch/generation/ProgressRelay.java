package io.klingbatch.generation;

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
    public void generated(String id, int row, StoredVideo video) {
        listener.generated(id, row, video);
    }

    @Override
    public void alreadyDone(String id, int row, LedgerState state) {
        listener.alreadyDone(id, row, state);
    }

    @Override
    public void failed(String id, int row, String reason) {
        listener.failed(id, row, reason);
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        listener.uncertain(id, row, reason);
    }
}
