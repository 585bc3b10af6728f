package io.klingbatch.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Whether the job repository is at the latest version, from one query of Flyway's history table, without Flyway: its
 * migrate (and the validation with it) scans every migration on the class path, about a second of start-up, and a
 * job repository at the latest version needs none of it. Asked by {@link SchemaUpToDate} before Flyway migrates, and by
 * the small context of {@code status} and {@code report}, which hands over to the full one when the answer is no.
 */
public final class SchemaVersion {

    /** The newest schema version: the highest {@code V<n>} among db/migration/*.sql and the Java migrations (a test keeps it so). */
    static final int LATEST = 5;

    private SchemaVersion() {
    }

    /**
     * @param table Flyway's history table ({@code spring.flyway.table})
     * @throws CannotGetJdbcConnectionException when the job repository cannot be reached at all (not a question of version)
     */
    public static boolean current(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT \"version\", \"success\" FROM \"" + table + "\"")) {
                int newest = 0;
                while (rs.next()) {
                    String version = rs.getString(1);
                    if (!rs.getBoolean(2)) {
                        return false; // a failed migration: let Flyway say so
                    }
                    if (version != null && version.matches("\\d+")) {
                        newest = Math.max(newest, Integer.parseInt(version));
                    }
                }
                return newest == LATEST;
            } catch (SQLException e) {
                if (unreachable(e)) { // a lazy connection is only made here, by the first statement
                    throw new CannotGetJdbcConnectionException("the job repository cannot be reached", e);
                }
                return false; // no history table yet (a new database), or another name case: Flyway decides
            }
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("the job repository cannot be reached", e);
        }
    }

    private static boolean unreachable(SQLException e) {
        return e instanceof java.sql.SQLTransientConnectionException || e instanceof java.sql.SQLNonTransientConnectionException
                || e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}
