package io.klingbatch.campaign;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A row's cells as a read-only map over the record the parser returned, by normalized column name (known columns and
 * the others, which templates may use): the header's column positions are shared by every row, so a million-row
 * {@code validate} does not build a million hash maps.
 */
final class Cells extends AbstractMap<String, String> {

    private final Map<String, Integer> columns;
    private final String[] record;

    Cells(Map<String, Integer> columns, String[] record) {
        this.columns = columns;
        this.record = record;
    }

    @Override
    public String get(Object column) {
        Integer index = columns.get(column);
        return index == null ? null : index < record.length ? record[index] : "";
    }

    @Override
    public boolean containsKey(Object column) {
        return columns.containsKey(column);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> entries = new LinkedHashSet<>();
        columns.keySet().forEach(column -> entries.add(new SimpleImmutableEntry<>(column, get(column))));
        return entries;
    }
}
