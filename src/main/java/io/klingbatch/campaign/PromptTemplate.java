package io.klingbatch.campaign;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A job file's {@code prompt-template} or {@code negative-prompt-template}: text with {@code {column}} placeholders
 * filled from a row's cells, any column of the CSV (names compare as headers do: {@code {Aspect Ratio}} is
 * {@code aspect_ratio}). {@code {{} and {@code }}} are literal braces. Parsed once when the job file is loaded, so a
 * broken template is a job file error before anything is read or paid.
 */
public final class PromptTemplate {

    private final String key;
    private final String text;
    private final String[] literals;
    private final String[] columns;
    private final String[] written;

    private PromptTemplate(String key, String text, List<String> literals, List<String> columns, List<String> written) {
        this.key = key;
        this.text = text;
        this.literals = literals.toArray(String[]::new);
        this.columns = columns.toArray(String[]::new);
        this.written = written.toArray(String[]::new);
    }

    /**
     * @param key the job file key it was given under, for messages
     * @throws IllegalArgumentException with a sentence for the user when the template is blank or a brace is unmatched
     */
    public static PromptTemplate parse(String key, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty: give the text, with {column} where a row's cell goes");
        }
        List<String> literals = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<String> written = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                literal.append(c);
                i += 2;
            } else if (c == '{') {
                int close = text.indexOf('}', i + 1);
                int open = text.indexOf('{', i + 1);
                if (close < 0 || open >= 0 && open < close) {
                    throw new IllegalArgumentException("the '{' at character " + (i + 1) + " is never closed (write {{ for a literal brace)");
                }
                String name = text.substring(i + 1, close);
                String column = Columns.normalize(name);
                if (column.isEmpty()) {
                    throw new IllegalArgumentException("the '{}' at character " + (i + 1) + " names no column (write {{}} for literal braces)");
                }
                literals.add(literal.toString());
                literal.setLength(0);
                columns.add(column);
                written.add(name.strip());
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("the '}' at character " + (i + 1) + " closes no placeholder (write }} for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        return new PromptTemplate(key, text, literals, columns, written);
    }

    /** The job file key, e.g. {@code prompt-template}. */
    public String key() {
        return key;
    }

    public String text() {
        return text;
    }

    /** The columns its placeholders name (normalized), each once, in order. */
    public List<String> columns() {
        return List.copyOf(new LinkedHashSet<>(List.of(columns)));
    }

    /** The placeholder as the template writes it, e.g. {@code {Colour}}, for messages. */
    public String placeholder(String column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(column)) {
                return "{" + written[i] + "}";
            }
        }
        return "{" + column + "}";
    }

    /**
     * Fills the placeholders.
     *
     * @param values a column's value for this row (empty or null when there is none)
     * @param empty  told each column (once) whose value is empty
     * @return the filled text, or null when a placeholder had no value
     */
    public String fill(UnaryOperator<String> values, Consumer<String> empty) {
        StringBuilder out = new StringBuilder(text.length() + 64).append(literals[0]);
        List<String> missing = null;
        for (int i = 0; i < columns.length; i++) {
            String value = values.apply(columns[i]);
            if (value == null || value.isEmpty()) {
                if (missing == null) {
                    missing = new ArrayList<>(2);
                }
                if (!missing.contains(columns[i])) {
                    missing.add(columns[i]);
                    empty.accept(columns[i]);
                }
            } else if (missing == null) {
                out.append(value).append(literals[i + 1]);
            }
        }
        return missing == null ? out.toString() : null;
    }

    @Override
    public String toString() {
        return key + ": " + text;
    }
}
