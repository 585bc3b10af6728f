package io.klingbatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} creates, migrates and writes nothing: no job repository, no log, no folder appears where there was none. */
class ValidateWritesNothingTest {

    @TempDir
    Path temp;

    @Test
    void validateLeavesNoFileBehind() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("campaign.csv"), "id,prompt\na,a red fox\nb,a blue whale\nb,a twin\n");
        Path home = temp.resolve("home");

        try (ChildJvm child = ChildJvm.builder(work, home, temp.resolve("unused")).withoutKlingBatchHome().logDirectory(temp.resolve("logs"))
                .start("validate", "campaign.csv")) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).as(child::describe).isEqualTo(1);
            assertThat(child.stdout()).contains("row 3 (id b, line 4): id: 'b' is already used by row 2", "A run would pay for 2 videos.");
        }
        assertThat(home.resolve(".kling-batch")).doesNotExist();
        try (Stream<Path> files = Files.walk(temp).filter(Files::isRegularFile)) {
            assertThat(files.map(file -> temp.relativize(file).toString()))
                    .allMatch(name -> name.equals("work/campaign.csv") || name.startsWith("logs/"));
        }
    }
}
