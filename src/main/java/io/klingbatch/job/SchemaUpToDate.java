package io.klingbatch.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway migrates only a job repository that is behind. Its migrate (and the validation with it) scans every migration
 * on the class path, about a second of every command's start-up; a job repository at the latest version needs none
 * of it, and one query of the history table says so.
 */
@Configuration(proxyBeanMethods = false)
class SchemaUpToDate {

    /** The newest schema version: the highest {@code V<n>} among db/migration/*.sql and the Java migrations (a test keeps it so). */
    static final int LATEST = 5;

    @Bean
    FlywayMigrationStrategy migrateWhenBehind() {
        return flyway -> {
            if (!current(flyway)) {
                flyway.migrate();
            }
        };
    }

    private static boolean current(Flyway flyway) {
        DataSource dataSource = flyway.getConfiguration().getDataSource();
        String table = flyway.getConfiguration().getTable();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
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
            return false; // no history table yet (a new database), or another name case: Flyway decides
        }
    }
}
