package io.klingbatch.request;

/** One thing wrong with one field of a row: {@code field} is the CSV column (or {@code row} for the record's shape). */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
