package io.klingbatch.schedule;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, kling-batch's tables (Spring Batch's, the ledger, the lease) live in a schema of their own,
 * {@code kling.database.schema} ({@code kling_batch}), created by Flyway if missing: a team's database whose {@code public}
 * schema holds other applications' tables (even one named {@code batch_job_instance}) is shared without a clash.
 *
 * <p>The least fragile way: every connection's {@code currentSchema} (its search path) is that schema alone, so every
 * statement, Spring Batch's, Spring Integration's lock and the ledger's, finds its tables unqualified, with no table
 * prefix to keep in step; Flyway is told the same schema. H2 is left as it was.
 *
 * <p>A database where an earlier version created the tables in {@code public} keeps them there (it holds what was paid
 * for: a new, empty schema would pay for everything again). A {@code currentSchema} in the URL wins over the setting.
 */
@Component
public class PostgresSchema implements BeanPostProcessor, FlywayConfigurationCustomizer {

    private static final Logger log = LoggerFactory.getLogger(PostgresSchema.class);
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern IN_URL = Pattern.compile("(?i)[?&]currentSchema=([^&]*)");
    static final String DEFAULT = "kling_batch";
    static final String HISTORY = "kb_schema_history";

    private final Environment environment;
    private volatile String schema;

    PostgresSchema(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && hikari.getJdbcUrl().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            schema = choose(hikari);
            if (!IN_URL.matcher(hikari.getJdbcUrl()).find() && !hikari.getDataSourceProperties().containsKey("currentSchema")) {
                hikari.addDataSourceProperty("currentSchema", schema);
            }
        }
        return bean;
    }

    /** Flyway creates the schema if missing and keeps its history there. */
    @Override
    public void customize(FluentConfiguration configuration) {
        String chosen = schema;
        if (chosen != null) {
            configuration.schemas(chosen).defaultSchema(chosen).createSchemas(true);
        }
    }

    /** The schema in use on PostgreSQL; null on H2. */
    String schema() {
        return schema;
    }

    private String choose(HikariDataSource hikari) {
        Matcher inUrl = IN_URL.matcher(hikari.getJdbcUrl());
        if (inUrl.find()) {
            return firstOf(inUrl.group(1));
        }
        Object inProperties = hikari.getDataSourceProperties().get("currentSchema");
        if (inProperties != null) {
            return firstOf(String.valueOf(inProperties));
        }
        String wanted = environment.getProperty("kling.database.schema", DEFAULT).strip();
        if (!NAME.matcher(wanted).matches()) {
            throw new IllegalStateException("kling.database.schema must be a lower-case PostgreSQL name (letters, digits, _), got '" + wanted + "'");
        }
        if (!wanted.equals("public") && hasHistory(hikari, "public") && !hasHistory(hikari, wanted)) {
            log.warn("kling-batch's tables are in the public schema (made by an earlier version): they stay there, with what was paid for."
                    + " To move them into {}, stop every run and move each table (ALTER TABLE ... SET SCHEMA {}), sequences included.", wanted, wanted);
            return "public";
        }
        return wanted;
    }

    /** Whether a schema holds kling-batch's schema history: its tables are there. */
    private static boolean hasHistory(HikariDataSource hikari, String schema) {
        Properties properties = new Properties();
        hikari.getDataSourceProperties().forEach(properties::put);
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        properties.putIfAbsent("connectTimeout", "5");
        properties.putIfAbsent("loginTimeout", "10");
        properties.putIfAbsent("socketTimeout", "30");
        try (Connection connection = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, HISTORY);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new BeanCreationException("dataSource", "the job repository cannot be reached: " + e.getMessage(), e);
        }
    }

    private static String firstOf(String searchPath) {
        String first = searchPath.split(",")[0].strip();
        return first.replace("\"", "");
    }
}
