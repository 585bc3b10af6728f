package io.klingbatch.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Copies lines of an older ledger into {@code kb_video}: the first one ({@code kb_ledger}, keyed by output folder and
 * row id), from this database (migration V5) or from a {@code .kling-batch/} found in a working directory, and
 * {@code kb_video} lines of another database. A video already known (same file sha256 or request id) is not copied
 * twice; the same request paid in two folders becomes two takes, both kept: both were paid for.
 *
 * <p>Plain JDBC on two connections, since the source may be a database of its own.
 */
final class LegacyLedger {

    private static final List<String> PRIORITY = List.of("PAID", "SUBMITTED", "UNCERTAIN", "SENT", "FAILED", "ORDERED");

    private LegacyLedger() {
    }

    /**
     * @param realEndpoint what a real (not simulated) line of the first ledger was paid to: it did not record it
     * @return how many videos were copied
     */
    static int copy(Connection from, Connection to, String realEndpoint, String host) throws SQLException {
        int copied = 0;
        if (hasTable(from, "kb_ledger")) {
            for (Map<String, Object> line : sorted(read(from, "SELECT * FROM kb_ledger"))) {
                copied += copyFirstFormat(line, to, realEndpoint, host) ? 1 : 0;
            }
        }
        if (from != to && hasTable(from, "kb_video")) {
            for (Map<String, Object> line : sorted(read(from, "SELECT * FROM kb_video"))) {
                copied += copyVideo(line, to) ? 1 : 0;
            }
        }
        return copied;
    }

    static boolean hasTable(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean copyFirstFormat(Map<String, Object> line, Connection to, String realEndpoint, String host) throws SQLException {
        String endpoint = Boolean.TRUE.equals(line.get("simulated")) ? Endpoint.SIMULATOR.id() : realEndpoint;
        String state = text(line.get("state"));
        String error = text(line.get("error"));
        if ("SENT".equals(state)) {
            state = "UNCERTAIN";
            error = "a call was in flight when a run of an earlier version ended; the API may have charged for it";
        }
        String folder = text(line.get("campaign"));
        String fileName = text(line.get("file_name"));
        Map<String, Object> video = new HashMap<>();
        video.put("endpoint", endpoint);
        video.put("request_hash", line.get("request_hash"));
        video.put("state", state);
        video.put("attempts", line.get("attempts"));
        video.put("duration", line.get("duration"));
        video.put("cost", line.get("cost"));
        video.put("remaining_credits", line.get("remaining_credits"));
        video.put("request_id", line.get("request_id"));
        video.put("status_url", line.get("status_url"));
        video.put("response_url", line.get("response_url"));
        video.put("submitted_at", line.get("submitted_at"));
        video.put("error", error);
        video.put("file_name", fileName);
        video.put("file_path", folder == null || fileName == null ? null : Path.of(folder).resolve(fileName).toString());
        video.put("host", host);
        video.put("bytes", line.get("bytes"));
        video.put("sha256", line.get("sha256"));
        video.put("campaign", folder == null ? null : String.valueOf(Path.of(folder).getFileName()));
        video.put("row_id", line.get("video_id"));
        video.put("created_at", line.get("created_at"));
        video.put("updated_at", line.get("updated_at"));
        return copyVideo(video, to);
    }

    /** Inserts a video unless it is known; a FAILED line never becomes the take a row stands for over a paid one. */
    private static boolean copyVideo(Map<String, Object> video, Connection to) throws SQLException {
        String endpoint = text(video.get("endpoint"));
        String hash = text(video.get("request_hash"));
        String state = text(video.get("state"));
        List<Map<String, Object>> existing = read(to, "SELECT take, state, sha256, request_id, row_id, created_at FROM kb_video"
                + " WHERE endpoint = ? AND request_hash = ? ORDER BY take", endpoint, hash);
        for (Map<String, Object> known : existing) {
            if (same(known.get("sha256"), video.get("sha256")) || same(known.get("request_id"), video.get("request_id"))
                    || same(known.get("row_id"), video.get("row_id")) && same(known.get("created_at"), video.get("created_at"))) {
                return false; // this very video, copied before
            }
        }
        if (!existing.isEmpty() && ("FAILED".equals(state) || "ORDERED".equals(state))) {
            return false; // cost nothing; the line that is there stands
        }
        int take = existing.isEmpty() ? 1 : ((Number) existing.get(existing.size() - 1).get("take")).intValue() + 1;
        if (!existing.isEmpty() && Set.of("FAILED", "ORDERED").contains(text(existing.get(existing.size() - 1).get("state")))) {
            take--; // replaces a line that cost nothing, so a paid video stays the one its rows stand for
            try (PreparedStatement delete = to.prepareStatement("DELETE FROM kb_video WHERE endpoint = ? AND request_hash = ? AND take = ?")) {
                delete.setString(1, endpoint);
                delete.setString(2, hash);
                delete.setInt(3, take);
                delete.executeUpdate();
            }
        }
        List<String> columns = new ArrayList<>(List.of("endpoint", "request_hash", "take", "state", "attempts", "duration", "mode",
                "estimate", "cost", "remaining_credits", "request_id", "status_url", "response_url", "submitted_at", "error", "file_name",
                "file_path", "host", "bytes", "sha256", "campaign", "row_id", "created_at", "updated_at"));
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement insert = to.prepareStatement("INSERT INTO kb_video (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")")) {
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                Object value = switch (column) {
                    case "take" -> take;
                    case "attempts" -> video.get("attempts") == null ? 0 : video.get("attempts");
                    case "created_at", "updated_at" -> video.get(column) == null ? now : video.get(column);
                    default -> video.get(column);
                };
                insert.setObject(i + 1, value);
            }
            insert.executeUpdate();
        }
        return true;
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> lines) {
        lines.sort(Comparator.<Map<String, Object>>comparingInt(line -> {
            int index = PRIORITY.indexOf(text(line.get("state")));
            return index < 0 ? PRIORITY.size() : index;
        }).thenComparing(line -> String.valueOf(line.get("created_at"))));
        return lines;
    }

    /** Every row as a map of lower-case column names, whatever the database's case. */
    private static List<Map<String, Object>> read(Connection connection, String sql, Object... arguments) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c).toLowerCase(Locale.ROOT), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static boolean same(Object a, Object b) {
        return a != null && b != null && Objects.equals(text(a), text(b));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString().strip();
    }
}
