package io.klingbatch.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.segmind.Billing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's own copy of the paid lines: survives a torn line, trusts only the very file it names. */
class PaidLogTest {

    @TempDir
    Path folder;

    private static final String HASH = "a".repeat(64);

    @Test
    void findsAPaidVideoWhoseFileIsStillThere() throws Exception {
        StoredVideo video = video("hero.mp4", "one video");
        PaidLog.open(folder).append(key("hero"), video, new Billing(new BigDecimal("0.88"), new BigDecimal("9"), "req\\1"));

        PaidLog reopened = PaidLog.open(folder);

        assertThat(reopened.find(key("hero"))).hasValueSatisfying(found -> {
            assertThat(found.video()).isEqualTo(video);
            assertThat(found.billing().requestId()).isEqualTo("req\\1");
        });
    }

    @Test
    void aReplacedFileIsNotTakenForThePaidOne() throws Exception {
        PaidLog.open(folder).append(key("hero"), video("hero.mp4", "one video"), new Billing(null, null, null));
        Files.writeString(folder.resolve("hero.mp4"), "two video"); // same size, other bytes

        assertThat(PaidLog.open(folder).find(key("hero"))).isEmpty();
    }

    @Test
    void aTornLastLineNeitherBreaksReadingNorSwallowsTheNextLine() throws Exception {
        PaidLog.open(folder).append(key("first"), video("first.mp4", "first"), new Billing(null, null, null));
        Files.writeString(folder.resolve(PaidLog.FILE), "second," + HASH + ",fal", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        PaidLog log = PaidLog.open(folder);
        log.append(key("third"), video("third.mp4", "third"), new Billing(null, null, null));

        PaidLog reopened = PaidLog.open(folder);
        assertThat(reopened.find(key("first"))).isPresent();
        assertThat(reopened.find(key("second"))).isEmpty();
        assertThat(reopened.find(key("third"))).isPresent();
    }

    private static VideoKey key(String id) {
        return new VideoKey("/out", id, HASH, false);
    }

    private StoredVideo video(String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(folder.resolve(name), bytes);
        return new StoredVideo(name, bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
}
