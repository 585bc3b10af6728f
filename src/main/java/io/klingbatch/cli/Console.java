package io.klingbatch.cli;

import java.io.PrintWriter;

/**
 * Where the command line speaks: one human sentence per outcome on stdout, errors on stderr, never a stack trace.
 * Quiet ({@code run --quiet}) keeps only errors and the final summary.
 */
final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private volatile boolean quiet;

    Console(PrintWriter out, PrintWriter err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    Console(PrintWriter out, PrintWriter err) {
        this(out, err, false);
    }

    /** Whether stdout is a terminal a person watches (not cron, CI or a pipe): a progress bar may be drawn. */
    boolean terminal() {
        return terminal;
    }

    void quiet(boolean newQuiet) {
        this.quiet = newQuiet;
    }

    boolean quiet() {
        return quiet;
    }

    void say(String line) {
        if (!quiet) {
            result(line);
        }
    }

    /** The final summary: said even when quiet. */
    void result(String line) {
        out.println(line);
        out.flush();
    }

    void error(String line) {
        err.println(line);
        err.flush();
    }
}
