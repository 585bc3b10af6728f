package io.klingbatch.cli;

import java.io.PrintWriter;

/** Where the command line speaks: one human sentence per outcome on stdout, errors on stderr, never a stack trace. */
final class Console {

    private final PrintWriter out;
    private final PrintWriter err;

    Console(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void say(String line) {
        out.println(line);
        out.flush();
    }

    void error(String line) {
        err.println(line);
        err.flush();
    }
}
