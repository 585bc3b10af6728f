package io.klingbatch.campaign;

import java.io.Closeable;

/**
 * A campaign file's records, one at a time, whatever the file is: a CSV in any of the encodings and delimiters
 * spreadsheets export ({@link CsvRecords}) or a sheet of an .xlsx workbook ({@link XlsxRecords}). Anything that makes
 * the whole file unusable is a {@link CampaignFileException} naming where.
 */
interface Records extends Closeable {

    int[] NO_COLUMNS = new int[0];

    /** The next record (its cells as text, possibly blank), or null at the end. */
    String[] next();

    /** Where the record {@link #next()} last returned starts: a CSV's line, a sheet's row. */
    int line();

    /** How messages name a place: {@code line 4} in a CSV, {@code row 4} in a sheet. */
    String place(int line);

    /** The columns (0-based) of the last record whose cell holds a spreadsheet error ({@code #DIV/0!}); none for a CSV. */
    default int[] errorColumns() {
        return NO_COLUMNS;
    }

    /** What the console should say once about how the file was read (an encoding guessed), or null. */
    default String note() {
        return null;
    }

    @Override
    void close();
}
