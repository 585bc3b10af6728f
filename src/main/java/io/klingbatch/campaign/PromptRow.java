package io.klingbatch.campaign;

import java.util.Map;

/**
 * One data row of a campaign file, as read: nothing checked yet but the file's shape.
 *
 * @param row          1-based data row (the header is not a row; blank lines are not rows)
 * @param line         1-based physical line the record starts on (a sheet's row number for an .xlsx), for messages
 * @param id           the {@code id} cell, or {@code row-N} when the column or cell is empty
 * @param cells        every named column (by {@link Columns#normalize normalized} name) to its (possibly empty) text:
 *                     the known ones, and the others a template may fill from
 * @param duplicateOf  the row that used this id first (ids compare ignoring case), or 0
 * @param shapeError   what is wrong with the record's shape (too many cells), or null
 */
public record PromptRow(int row, int line, String id, Map<String, String> cells, int duplicateOf, String shapeError) {

    public String cell(String column) {
        String value = cells.get(column);
        return value == null ? "" : value;
    }
}
