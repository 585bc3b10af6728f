package io.klingbatch.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingbatch.segmind.SegmindSimulator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: a real child JVM, a real signal, a fake API counted from the test JVM, a small tmpfs. */
class ChildJvmTest {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void theChildsClassPathHasTheApplicationButNotTheTests() {
        List<String> classpath = ChildJvm.defaultClasspath();

        assertThat(classpath).anyMatch(entry -> Path.of(entry).endsWith(Path.of("target", "classes")));
        assertThat(classpath).noneMatch(entry -> Path.of(entry).endsWith(Path.of("target", "test-classes")));
        assertThat(classpath).anyMatch(entry -> entry.contains("picocli"));
    }

    @Test
    void validateRunsInAChildWithItsOwnHomeAndWorkingDirectory() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("campaign.csv"), "id,prompt\na,a red fox\nb,a blue whale\n");

        try (ChildJvm child = ChildJvm.builder(work, temp.resolve("home"), temp.resolve("kling-home")).start("validate", "campaign.csv")) {
            int exit = child.waitFor(START);

            assertThat(exit).as(child.describe()).isZero();
            assertThat(child.stdout()).as(child.describe()).contains("All 2 rows of campaign.csv are valid.");
            assertThat(child.stdoutFile()).startsWith(temp.resolve("home"));
        }
        // its database went to its own working directory (today) or its own KLING_BATCH_HOME (soon), not to a real home
        assertThat(Files.isDirectory(work.resolve(".kling-batch")) || isNotEmpty(temp.resolve("kling-home"))).isTrue();
    }

    private static boolean isNotEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    @Test
    void aKilledRunLeavesThePaidCallCountedByTheFakeApi() throws Exception {
        Path work = temp.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("campaign.csv"), "id,prompt\na,a red fox\n");

        try (SegmindSimulator api = SegmindSimulator.builder().apiKey("child-test-key").credits(new BigDecimal("10")).start()) {
            api.hold();
            try (ChildJvm child = ChildJvm.builder(temp)
                    .env("SEGMIND_API_KEY", api.apiKey())
                    .env("SEGMIND_BASE_URL", api.baseUrl().toString())
                    .start("run", "campaign.csv")) {

                assertThat(api.awaitInFlight(1, START)).as(() -> "no call reached the fake API. " + child.describe()).isTrue();
                assertThat(child.isAlive()).isTrue();
                child.signal("KILL");

                assertThat(child.waitFor(Duration.ofSeconds(20))).as(child.describe()).isEqualTo(137);
                assertThat(child.isAlive()).isFalse();
            }
            assertThat(api.paidFor("red fox")).isEqualTo(1);
            assertThat(api.billedPrompts()).containsExactly("a red fox");
            assertThat(api.generations()).as("the held answer was never sent").isZero();
        }
    }

    @Test
    void aTmpfsIsSmallAndGoesAway() throws IOException {
        Path dir = temp.resolve("small");
        try (TmpFs disk = TmpFs.mount(dir, 64)) {
            assertThat(disk.isMounted()).isTrue();
            assertThat(disk.sizeBytes()).isEqualTo(64 * 1024);

            Files.write(dir.resolve("fits.bin"), new byte[16 * 1024]);
            assertThatThrownBy(() -> Files.write(dir.resolve("too-big.bin"), new byte[128 * 1024]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");
        }
        assertThat(TmpFs.isMountPoint(dir)).isFalse();
        assertThat(dir.resolve("fits.bin")).doesNotExist();
    }
}
