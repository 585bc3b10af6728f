package io.klingbatch.job;

import java.sql.Connection;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * Version 1 of the schema: Spring Batch's own tables, from the script Spring Batch ships for the database in use
 * (H2, PostgreSQL, ...). Under Flyway rather than {@code spring.batch.jdbc.initialize-schema=always}, so a team's
 * shared PostgreSQL is created once, in order with the project's own tables (the ledger is version 2), and every
 * later change to either is a migration. Flyway's {@link BaseJavaMigration} reads the version and description from the
 * class name, as it does for SQL files.
 */
@Component
class V1__Spring_Batch_schema extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName();
        String platform = DatabaseDriver.fromProductName(product).getId();
        ClassPathResource script = new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql");
        if (!script.exists()) {
            throw new IllegalStateException("Spring Batch ships no schema for " + product);
        }
        ScriptUtils.executeSqlScript(connection, script);
    }
}
