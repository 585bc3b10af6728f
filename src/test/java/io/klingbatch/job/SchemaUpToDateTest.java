package io.klingbatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The version start-up compares with must be the newest migration's, or a new migration would never run. */
class SchemaUpToDateTest {

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
        assertThat(SchemaUpToDate.LATEST).isEqualTo(newest);
    }
}
