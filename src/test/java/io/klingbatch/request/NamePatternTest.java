package io.klingbatch.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** File names made safe: the character loop says what the regular expressions it replaced said, for any text. */
class NamePatternTest {

    /** The rule as it was first written, with regular expressions. */
    private static String byExpressions(String raw) {
        String name = raw.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-{2,}", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (name.length() > 120) {
            name = name.substring(0, 120).replaceAll("[-.]+$", "");
        }
        if (name.isEmpty()) {
            return "video";
        }
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        return Set.of("con", "prn", "aux", "nul", "com1", "lpt1").contains(stem.toLowerCase(Locale.ROOT)) ? "_" + name : name;
    }

    @Test
    void theLoopSaysWhatTheExpressionsSaid() {
        String alphabet = "aZ09._-- -..é/\\:*?\"<>|日\t";
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(i % 50 == 0 ? 200 : 14);
            StringBuilder raw = new StringBuilder();
            for (int c = 0; c < length; c++) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(NamePattern.safe(raw.toString())).as("'%s'", raw).isEqualTo(byExpressions(raw.toString()));
        }
    }

    @Test
    void namesPeopleWrite() {
        assertThat(NamePattern.safe("Trail Runner / Lisbon: 9x16")).isEqualTo("Trail-Runner-Lisbon-9x16");
        assertThat(NamePattern.safe("--..hero..--")).isEqualTo("hero");
        assertThat(NamePattern.safe("CON.mp4")).isEqualTo("_CON.mp4");
        assertThat(NamePattern.safe("日本")).isEqualTo("video");
        assertThat(NamePattern.safe("a".repeat(119) + "-b")).isEqualTo("a".repeat(119));
    }
}
