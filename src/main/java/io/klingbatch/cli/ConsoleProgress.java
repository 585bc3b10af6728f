package io.klingbatch.cli;

import io.klingbatch.generation.RunProgress;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.output.Placement;
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
    public void generated(String id, int row, SavedVideo video) {
        console.say("  " + where(id, row) + ": generated " + video.fileName() + " (" + Sizes.human(video.bytes()) + ")");
    }

    @Override
    public void reused(String id, int row, Placement placement) {
        String what = switch (placement.kind()) {
            case IN_PLACE -> "already generated (" + placement.fileName() + "), not paid again";
            case COPIED -> "made earlier" + madeFor(placement) + "; copied, not paid again";
            case ELSEWHERE -> "made earlier" + madeFor(placement) + "; it is at " + placement.elsewhere()
                    + ", which this machine cannot copy from; not paid again";
            case MISSING -> "paid for earlier, but its file is missing from the output folder; not paid again: restore it from a backup";
        };
        console.say("  " + where(id, row) + ": " + what);
    }

    @Override
    public void pending(String id, int row, String why) {
        console.say("  " + where(id, row) + ": " + why);
    }

    @Override
    public void failed(String id, int row, String reason) {
        console.say("  " + where(id, row) + ": FAILED, " + reason);
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        console.say("  " + where(id, row) + ": UNCERTAIN, " + reason);
    }

    @Override
    public void notice(String sentence) {
        console.say(sentence);
    }

    private static String madeFor(Placement placement) {
        return placement.madeFor() == null ? "" : " for " + placement.madeFor();
    }

    /** {@code row 3 shoe}, or just the id for a video collected from an earlier run (its row number is not known then). */
    private static String where(String id, int row) {
        return row > 0 ? "row " + row + " " + id : id;
    }
}
