package io.klingbatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The version start-up compares with must be the newest migration's, or a new migration would never run. */
class SchemaVersionTest {

    @Test
    void latestIsTheNewestMigration() throws Exception {
        int newest = 0;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/resources/db/migration")), Files.walk(Path.of("src/main/java")))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.matches("V\\d+__.*\\.(sql|java)")) {
                    newest = Math.max(newest, Integer.parseInt(name.substring(1, name.indexOf("__"))));
                }
            }
        }
        assertThat(newest).isGreaterThanOrEqualTo(5);
        assertThat(SchemaVersion.LATEST).isEqualTo(newest);
    }

    @Test
    void aMissingHistoryIsBehindAndAnUnreachableDatabaseIsSaidSo() throws Exception {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:schema-version-test;DB_CLOSE_DELAY=-1");
        assertThat(SchemaVersion.current(h2, "kb_schema_history")).as("a new database").isFalse();
        try (java.sql.Connection connection = h2.getConnection()) {
            connection.createStatement().execute("CREATE TABLE \"kb_schema_history\" (\"version\" VARCHAR(50), \"success\" BOOLEAN)");
            connection.createStatement().execute("INSERT INTO \"kb_schema_history\" VALUES ('1', TRUE), ('" + SchemaVersion.LATEST + "', TRUE)");
        }
        assertThat(SchemaVersion.current(h2, "kb_schema_history")).isTrue();

        // a lazy connection (as the job repository's is) fails only at the first statement: still "unreachable", not "behind"
        javax.sql.DataSource gone = new org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy(new org.springframework.jdbc.datasource.AbstractDataSource() {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                throw new java.sql.SQLTransientConnectionException("Connection is not available, request timed out after 5000ms");
            }

            @Override
            public java.sql.Connection getConnection(String username, String password) throws java.sql.SQLException {
                return getConnection();
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaVersion.current(gone, "kb_schema_history"))
                .isInstanceOf(org.springframework.jdbc.CannotGetJdbcConnectionException.class);
    }
}
