package io.klingbatch.cli;

import io.klingbatch.generation.LedgerState;
import io.klingbatch.generation.RunProgress;
import io.klingbatch.generation.StoredVideo;
import io.klingbatch.request.CheckedRow;

/** One line per row as the run goes, so a long run shows it is alive and a bad row is named where it happens. */
final class ConsoleProgress implements RunProgress {

    private final Console console;

    ConsoleProgress(Console console) {
        this.console = console;
    }

    @Override
    public void rejected(CheckedRow.Rejected row) {
        console.say("  REJECTED " + RowLines.rejected(row));
    }

    @Override
    public void generated(String id, int row, StoredVideo video) {
        console.say("  row " + row + " " + id + ": generated " + video.fileName() + " (" + Sizes.human(video.bytes()) + ")");
    }

    @Override
    public void alreadyDone(String id, int row, LedgerState state) {
        String what = switch (state) {
            case PAID -> "already generated, not paid again";
            case SUBMITTED -> "submitted by an earlier run; collecting its result, not paying again";
            case SENT -> "taken by another run at the same moment; skipped here";
            default -> "UNCERTAIN from an earlier run, not resent (use --resend-uncertain to send it again)";
        };
        console.say("  row " + row + " " + id + ": " + what);
    }

    @Override
    public void failed(String id, int row, String reason) {
        console.say("  row " + row + " " + id + ": FAILED, " + reason);
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        console.say("  row " + row + " " + id + ": UNCERTAIN, " + reason);
    }
}
