package io.klingbatch.job;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Flyway migrates only a job repository that is behind ({@link SchemaVersion} says which). */
@Configuration(proxyBeanMethods = false)
class SchemaUpToDate {

    @Bean
    FlywayMigrationStrategy migrateWhenBehind() {
        return flyway -> {
            if (!SchemaVersion.current(flyway.getConfiguration().getDataSource(), flyway.getConfiguration().getTable())) {
                flyway.migrate();
            }
        };
    }
}
