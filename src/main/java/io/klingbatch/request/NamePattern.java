package io.klingbatch.request;

import io.klingbatch.campaign.Columns;
import io.klingbatch.campaign.PromptRow;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A video's file name from its row: the job file's {@code name-pattern} ({@code {id}} by default, or e.g.
 * {@code {product}-{city}}) with {@code {column}} placeholders filled from the row's cells, then {@code -<format>} when the
 * row makes several formats ({@code :} becomes {@code x}: {@code shoe-9x16}). Names are made safe for every file system.
 * A regular expression is enough here: placeholders are plain names, and {@code {{}}/{@code }}} are literal braces.
 */
final class NamePattern {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([^{}]+)}");
    private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6",
            "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");
    private static final int MAX_LENGTH = 120;

    private final String pattern;

    NamePattern(String pattern) {
        this.pattern = pattern;
    }

    /**
     * The name, or throws {@link IllegalArgumentException} naming the placeholder whose cell is empty or missing.
     *
     * @param format the video's format, or null when the row makes one
     */
    String name(PromptRow row, String format) {
        if (pattern.equals("{id}") && !row.id().isEmpty()) { // the default: no expression to match, a million times
            return safe(format == null ? row.id() : row.id() + "-" + format.replace(':', 'x'));
        }
        StringBuilder name = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(pattern);
        int end = 0;
        boolean hasFormat = false;
        while (matcher.find()) {
            name.append(pattern, end, matcher.start());
            end = matcher.end();
            String token = matcher.group();
            if (token.equals("{{")) {
                name.append('{');
                continue;
            }
            if (token.equals("}}")) {
                name.append('}');
                continue;
            }
            String column = Columns.normalize(matcher.group(1));
            if (column.equals("format")) {
                hasFormat = true;
                name.append(format == null ? "" : format.replace(':', 'x'));
                continue;
            }
            String value = column.equals(Columns.ID) ? row.id() : row.cell(column).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("{" + matcher.group(1) + "} has no value in this row");
            }
            name.append(value);
        }
        name.append(pattern.substring(end));
        if (format != null && !hasFormat) {
            name.append('-').append(format.replace(':', 'x'));
        }
        return safe(name.toString());
    }

    /**
     * Letters, digits, '.', '_' and '-'; no leading dot or dash; at most 120 characters; never a reserved Windows name.
     * A loop over the characters, not regular expressions: this runs for every video of every row, and three
     * {@code replaceAll}s were a third of {@code validate}'s time on a million rows. A test holds it to the expressions
     * {@code [^A-Za-z0-9._-]+ -> -}, {@code -{2,} -> -}, then {@code ^[-.]+|[-.]+$ -> ""}.
     */
    static String safe(String raw) {
        StringBuilder kept = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            char next = allowed ? c : '-';
            if (next != '-' || kept.isEmpty() || kept.charAt(kept.length() - 1) != '-') {
                kept.append(next);
            }
        }
        String name = trim(kept, kept.length());
        if (name.length() > MAX_LENGTH) {
            name = trim(new StringBuilder(name), MAX_LENGTH);
        }
        if (name.isEmpty()) {
            return "video";
        }
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        return RESERVED.contains(stem.toLowerCase(Locale.ROOT)) ? "_" + name : name;
    }

    /** The first {@code length} characters without leading or trailing dots and dashes. */
    private static String trim(CharSequence name, int length) {
        int start = 0;
        int end = length;
        while (start < end && (name.charAt(start) == '-' || name.charAt(start) == '.')) {
            start++;
        }
        while (end > start && (name.charAt(end - 1) == '-' || name.charAt(end - 1) == '.')) {
            end--;
        }
        return name.subSequence(start, end).toString();
    }
}
