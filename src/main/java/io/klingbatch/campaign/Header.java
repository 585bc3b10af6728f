package io.klingbatch.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A campaign file's header row: where each column is, by name as {@link Columns#normalize} compares them. Known
 * columns, and columns a template uses, must each be named once. An unknown column one or two edits from a known name
 * that the header lacks ({@code promt}, {@code aspect_ration}) is a typo to fix, not a column to ignore: the file is
 * refused before anything is paid. Other unknown columns are kept (templates may use them) and warned about.
 */
final class Header {

    /** Normalized column name to its position; shared, immutable, by every row. */
    final Map<String, Integer> columns;
    /** Columns neither known nor used by a template, as the header writes them. */
    final List<String> unknown;
    /** The header's number of cells. */
    final int width;
    private final boolean[] used;
    private final String[] names;

    private Header(Map<String, Integer> columns, List<String> unknown, int width, boolean[] used, String[] names) {
        this.columns = Map.copyOf(columns); // immutable: the fastest lookups
        this.unknown = List.copyOf(unknown);
        this.width = width;
        this.used = used;
        this.names = names;
    }

    /** Whether the column at {@code index} matters to a request: a known column or one a template fills from. */
    boolean used(int index) {
        return index < used.length && used[index];
    }

    /** The column at {@code index}, normalized. */
    String name(int index) {
        return names[index];
    }

    /**
     * @param place where the header is, e.g. {@code line 1}
     * @param templates the job file's templates (none for a bare CSV) and where they are written
     */
    static Header read(String[] header, Path file, String place, CampaignCsv.Use templates) {
        Set<String> templated = new LinkedHashSet<>();
        templates.each(template -> template.columns().stream()
                .filter(column -> template != templates.names() || !VideoOptions.notACell(column)).forEach(templated::add));
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<Integer> unknownAt = new ArrayList<>();
        boolean[] used = new boolean[header.length];
        String[] names = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            String name = Columns.normalize(header[i]);
            names[i] = name;
            if (name.isEmpty()) {
                continue;
            }
            boolean known = Columns.ALL.contains(name);
            boolean matters = known || templated.contains(name);
            if (columns.putIfAbsent(name, i) != null && matters) {
                throw new CampaignFileException(file, place, "the header names column '" + name + "' twice");
            }
            used[i] = matters;
            if (!matters && columns.get(name) == i) {
                unknown.add(header[i].strip());
                unknownAt.add(i);
            }
        }
        List<String> typos = new ArrayList<>();
        for (int k = 0; k < unknown.size(); k++) {
            String near = nearestKnown(names[unknownAt.get(k)], columns);
            if (near != null) {
                typos.add("'" + unknown.get(k) + "' (did you mean '" + near + "'?)");
            }
        }
        if (!typos.isEmpty()) {
            throw new CampaignFileException(file, place, (typos.size() == 1 ? "column " + typos.get(0) + " is not a column kling-batch knows"
                    : "columns " + String.join(", ", typos) + " are not columns kling-batch knows")
                    + "; rename " + (typos.size() == 1 ? "it" : "them") + " (nothing was sent)");
        }
        if (templates.prompt() == null && !columns.containsKey(Columns.PROMPT)) {
            throw new CampaignFileException(file, place, "the header has no 'prompt' column (found: " + String.join(", ", header) + ")");
        }
        templates.each(template -> {
            for (String column : template.columns()) {
                if (template == templates.names() && VideoOptions.notACell(column)) {
                    continue;
                }
                if (!columns.containsKey(column)) {
                    String near = nearest(column, columns.keySet(), 2);
                    throw new CampaignFileException(templates.jobFile(), "'" + template.key() + "' uses " + template.placeholder(column) + ", but "
                            + file.getFileName() + " has no column '" + column + "'" + (near == null ? "" : " (did you mean {" + near + "}?)")
                            + " (columns: " + String.join(", ", columns.keySet()) + ")");
                }
            }
        });
        return new Header(columns, unknown, header.length, used, names);
    }

    /** The known column the header lacks that {@code name} is a near miss of, or null. */
    private static String nearestKnown(String name, Map<String, Integer> present) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : Columns.ALL) {
            if (present.containsKey(known)) {
                continue; // a column beside the one it resembles is a column of its own (prompt and prompt_2)
            }
            int limit = known.length() <= 2 ? 0 : known.length() <= 5 ? 1 : 2;
            int distance = distance(name, known, limit);
            if (distance <= limit && distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String nearest(String name, Set<String> candidates, int limit) {
        String best = null;
        int bestDistance = limit + 1;
        for (String candidate : candidates) {
            int distance = distance(name, candidate, limit);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}; anything over {@code limit}
     * is reported as {@code limit + 1}.
     */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return Math.min(d[a.length()][b.length()], limit + 1);
    }
}
