package io.klingbatch.cli;

import io.klingbatch.request.CheckedRow;

/** How a bad row is named everywhere on the console: row number, id, line, then each field's problem. */
final class RowLines {

    private RowLines() {
    }

    static String rejected(CheckedRow.Rejected rejected) {
        return "row " + rejected.row().row() + " (id " + rejected.row().id() + ", line " + rejected.row().line() + "): " + rejected.reason();
    }
}
