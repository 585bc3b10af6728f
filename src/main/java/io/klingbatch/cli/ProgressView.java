package io.klingbatch.cli;

import io.klingbatch.generation.RunProgress;
import io.klingbatch.ledger.SavedVideo;
import io.klingbatch.output.Placement;
import io.klingbatch.request.CheckedRow;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a run shows as it goes. On a terminal: one progress bar (me.tongfei's progressbar) with videos done of the total,
 * rate, ETA, credits spent and left and the counts that need attention, and one line above it for each row that needs
 * attention (rejected, failed, uncertain) or whose video was made earlier. Elsewhere (cron, CI, a pipe): the same lines,
 * and a plain progress line every 10% or every 30 seconds, never a control character. Quiet: nothing until the end.
 */
final class ProgressView implements RunProgress, AutoCloseable {

    enum Mode { BAR, LINES, QUIET }

    private static final Duration EVERY = Duration.ofSeconds(30);

    private final Console console;
    private final Mode mode;
    private final int total;
    private final long started = System.nanoTime();
    private final AtomicInteger generated = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger uncertain = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger copied = new AtomicInteger();
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal lowestBalance;
    private final ProgressBar bar;
    private final AboveTheBar screen;
    private final ScheduledExecutorService ticker;
    private volatile int lastTenth;
    private volatile long lastLine = System.nanoTime();

    /** @param total the videos this run pays for or collects (the bar's 100%) */
    ProgressView(Console console, Mode mode, int total, PrintStream terminal) {
        this.console = console;
        this.mode = mode;
        this.total = Math.max(0, total);
        if (mode == Mode.BAR && total > 0) {
            this.screen = new AboveTheBar(terminal);
            this.bar = new ProgressBarBuilder().setTaskName("Videos").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setConsumer(screen).showSpeed().setSpeedUnit(java.time.temporal.ChronoUnit.MINUTES)
                    .setUnit(" videos", 1).build();
            this.ticker = null;
        } else {
            this.screen = null;
            this.bar = null;
            this.ticker = mode == Mode.LINES && total > 0 ? Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "kling-progress");
                thread.setDaemon(true);
                return thread;
            }) : null;
            if (ticker != null) {
                ticker.scheduleAtFixedRate(this::maybeLine, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void rejected(CheckedRow.Rejected row) {
        rejected.incrementAndGet();
        attention("REJECTED " + RowLines.rejected(row));
    }

    @Override
    public void generated(String id, int row, SavedVideo video) {
        generated.incrementAndGet();
        advance();
    }

    @Override
    public void paid(BigDecimal cost, BigDecimal remainingCredits) {
        synchronized (this) {
            if (cost != null) {
                spent = spent.add(cost);
            }
            if (remainingCredits != null && (lowestBalance == null || remainingCredits.compareTo(lowestBalance) < 0)) {
                lowestBalance = remainingCredits;
            }
        }
    }

    @Override
    public void reused(String id, int row, Placement placement) {
        String what = switch (placement.kind()) {
            case IN_PLACE -> null;
            case COPIED -> "made earlier" + madeFor(placement) + "; copied, not paid again";
            case ELSEWHERE -> "made earlier" + madeFor(placement) + "; it is at " + placement.elsewhere()
                    + ", which this machine cannot copy from; not paid again";
            case MISSING -> "paid for earlier, but its file is missing from the output folder; not paid again: restore it from a backup";
        };
        if (what != null) {
            copied.incrementAndGet();
            attention(where(id, row) + ": " + what);
        }
    }

    @Override
    public void pending(String id, int row, String why) {
        attention(where(id, row) + ": " + why);
    }

    @Override
    public void failed(String id, int row, String reason) {
        failed.incrementAndGet();
        attention(where(id, row) + ": FAILED, " + reason);
        advance();
    }

    @Override
    public void uncertain(String id, int row, String reason) {
        uncertain.incrementAndGet();
        attention(where(id, row) + ": UNCERTAIN, " + reason);
        advance();
    }

    @Override
    public void notice(String sentence) {
        attention(sentence);
    }

    /** A line that must be seen: above the bar on a terminal, as it is elsewhere; not at all when quiet. */
    private void attention(String line) {
        if (mode == Mode.QUIET) {
            return;
        }
        if (screen != null) {
            screen.above(line);
        } else {
            console.say("  " + line);
        }
    }

    private void advance() {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(extra());
        }
    }

    /** Non-terminal: a plain line when another tenth is done, or every 30 seconds. */
    private void maybeLine() {
        int done = done();
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth > lastTenth || System.nanoTime() - lastLine >= EVERY.toNanos()) {
            lastTenth = tenth;
            lastLine = System.nanoTime();
            console.say(line());
        }
    }

    private int done() {
        return generated.get() + failed.get() + uncertain.get();
    }

    /** {@code Progress: 42 of 500 videos (8%), 1.2/min; 2 failed; 35.2 credits spent, 160 left; about 12 min to go.} */
    String line() {
        int done = done();
        double minutes = (System.nanoTime() - started) / 6e10;
        String rate = minutes <= 0 ? "" : String.format(Locale.ROOT, ", %.1f/min", done / minutes);
        String eta = done == 0 || done >= total ? "" : "; about " + human(Duration.ofNanos((long) ((System.nanoTime() - started)
                / (double) done * (total - done)))) + " to go";
        return "Progress: " + done + " of " + total + " videos (" + (total == 0 ? 100 : done * 100 / total) + "%)" + rate + counts() + "; "
                + extra() + eta + ".";
    }

    private String counts() {
        StringBuilder counts = new StringBuilder();
        if (rejected.get() > 0) {
            counts.append("; ").append(rejected.get()).append(" rejected");
        }
        if (failed.get() > 0) {
            counts.append("; ").append(failed.get()).append(" failed");
        }
        if (uncertain.get() > 0) {
            counts.append("; ").append(uncertain.get()).append(" uncertain");
        }
        return counts.toString();
    }

    private synchronized String extra() {
        String credits = Summaries.plain(spent) + " credits spent" + (lowestBalance == null ? "" : ", " + Summaries.plain(lowestBalance) + " left");
        return bar == null ? credits : " " + credits + counts().replace(";", ",");
    }

    private static String human(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes >= 120 ? duration.toHours() + " h" : minutes >= 2 ? minutes + " min" : Math.max(1, duration.toSeconds()) + " s";
    }

    private static String madeFor(Placement placement) {
        return placement.madeFor() == null ? "" : " for " + placement.madeFor();
    }

    /** {@code row 3 shoe}, or just the name for a video collected from an earlier run (its row number is not known then). */
    private static String where(String id, int row) {
        return row > 0 ? "row " + row + " " + id : id;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
            if (done() > 0 && lastTenth < 10) {
                console.say(line());
            }
        }
    }

    /**
     * The bar's consumer, so lines can be printed above it: clear the bar's line, print the line, draw the bar again.
     * (The library's own console consumer only redraws its line.)
     */
    private static final class AboveTheBar implements ProgressBarConsumer {

        private final PrintStream out;
        private String last = "";

        AboveTheBar(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            String columns = System.getenv("COLUMNS");
            try {
                return columns == null ? 120 : Math.max(40, Integer.parseInt(columns.strip()) - 1);
            } catch (NumberFormatException e) {
                return 120;
            }
        }

        @Override
        public synchronized void accept(String rendered) {
            last = rendered;
            out.print('\r' + rendered);
            out.flush();
        }

        synchronized void above(String line) {
            out.print('\r' + " ".repeat(last.length()) + '\r');
            out.println("  " + line);
            out.print(last);
            out.flush();
        }

        @Override
        public synchronized void close() {
            out.println();
            out.flush();
        }
    }
}
