package io.klingbatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's own record of its videos: survives a torn line, trusts only the very file it names, reads the first format. */
class PaidLogTest {

    @TempDir
    Path folder;

    private static final String HASH = "a".repeat(64);
    private static final String REAL = "https://api.segmind.com";

    @Test
    void findsAPaidVideoWhoseFileIsStillThere() throws Exception {
        PaidLog.Record record = record("hero.mp4", "one video", key(1), "req\\1");
        PaidLog.open(folder, REAL).append(record);

        PaidLog reopened = PaidLog.open(folder, REAL);

        assertThat(reopened.find(key(1))).hasValueSatisfying(found -> {
            assertThat(found.fileName()).isEqualTo("hero.mp4");
            assertThat(found.requestId()).isEqualTo("req\\1");
            assertThat(found.cost()).isEqualByComparingTo("0.88");
        });
        assertThat(reopened.find(key(2))).isEmpty();
    }

    @Test
    void aReplacedFileIsNotTakenForThePaidOne() throws Exception {
        PaidLog.open(folder, REAL).append(record("hero.mp4", "one video", key(1), null));
        Files.writeString(folder.resolve("hero.mp4"), "two video"); // same size, other bytes

        assertThat(PaidLog.open(folder, REAL).find(key(1))).isEmpty();
    }

    @Test
    void aFileNameGivenToAnotherVideoNoLongerVouchesForTheFirst() throws Exception {
        PaidLog log = PaidLog.open(folder, REAL);
        log.append(record("hero.mp4", "one video", key(1), null));
        log.append(record("hero.mp4", "two video", key(2), null));

        PaidLog reopened = PaidLog.open(folder, REAL);
        assertThat(reopened.find(key(1))).isEmpty();
        assertThat(reopened.find(key(2))).isPresent();
        assertThat(reopened.file("hero.mp4")).hasValueSatisfying(found -> assertThat(found.key()).isEqualTo(key(2)));
    }

    @Test
    void aTornLastLineNeitherBreaksReadingNorSwallowsTheNextLine() throws Exception {
        PaidLog.open(folder, REAL).append(record("first.mp4", "first", key(1), null));
        Files.writeString(folder.resolve(PaidLog.FILE), "v2,second.mp4,simulator," + HASH + ",2,12,ab", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        PaidLog log = PaidLog.open(folder, REAL);
        log.append(record("third.mp4", "third", key(3), null));

        PaidLog reopened = PaidLog.open(folder, REAL);
        assertThat(reopened.find(key(1))).isPresent();
        assertThat(reopened.find(key(2))).isEmpty();
        assertThat(reopened.find(key(3))).isPresent();
    }

    @Test
    void linesOfTheFirstFormatAreStillRead() throws Exception {
        byte[] bytes = "old video".getBytes(StandardCharsets.UTF_8);
        Files.write(folder.resolve("old.mp4"), bytes);
        Files.write(folder.resolve("sim.mp4"), bytes);
        Files.writeString(folder.resolve(PaidLog.FILE), "old," + HASH + ",false,old.mp4," + bytes.length + "," + sha(bytes) + ",0.88,41,req-old\n"
                + "sim," + HASH + ",true,sim.mp4," + bytes.length + "," + sha(bytes) + ",0.88,41,req-sim\n");

        PaidLog log = PaidLog.open(folder, REAL);

        assertThat(log.find(new VideoKey(REAL, HASH, 1))).hasValueSatisfying(found -> assertThat(found.fileName()).isEqualTo("old.mp4"));
        assertThat(log.file("sim.mp4")).hasValueSatisfying(found -> assertThat(found.key().endpoint()).isEqualTo("simulator"));
    }

    private static VideoKey key(int take) {
        return new VideoKey("simulator", HASH, take);
    }

    private PaidLog.Record record(String name, String content, VideoKey key, String requestId) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(folder.resolve(name), bytes);
        return new PaidLog.Record(name, key, bytes.length, sha(bytes), new BigDecimal("0.88"), new BigDecimal("9"), requestId, "paid", "hero");
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
