package io.klingbatch.segmind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResetTimeTest {

    private static final Instant RESET = Instant.parse("2026-11-25T13:00:00Z");

    @Test
    void isoInstant() {
        assertThat(ResetTime.parse("2026-11-25T13:00:00Z")).isEqualTo(RESET);
    }

    @Test
    void isoInstantWithFraction() {
        assertThat(ResetTime.parse("2026-11-25T13:00:00.250Z")).isEqualTo(RESET.plusMillis(250));
    }

    @Test
    void isoLocalTimeWithoutZoneIsUtc() {
        assertThat(ResetTime.parse("2026-11-25T13:00:00")).isEqualTo(RESET);
    }

    @Test
    void spaceSeparatedLocalTimeIsUtc() {
        assertThat(ResetTime.parse("2026-11-25 13:00:00")).isEqualTo(RESET);
    }

    @Test
    void rfc1123() {
        assertThat(ResetTime.parse("Wed, 25 Nov 2026 13:00:00 GMT")).isEqualTo(RESET);
    }

    @Test
    void epochSeconds() {
        assertThat(ResetTime.parse("1795611600")).isEqualTo(RESET);
    }

    @Test
    void epochSecondsWithFraction() {
        assertThat(ResetTime.parse("1795611600.5")).isEqualTo(RESET.plusMillis(500));
    }

    @Test
    void epochMillis() {
        assertThat(ResetTime.parse("1795611600000")).isEqualTo(RESET);
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(ResetTime.parse("  1795611600 ")).isEqualTo(RESET);
    }

    @Test
    void garbageIsNull() {
        assertThat(ResetTime.parse("in a minute")).isNull();
        assertThat(ResetTime.parse("12345")).isNull();
    }

    @Test
    void nullOrBlankIsNull() {
        assertThat(ResetTime.parse(null)).isNull();
        assertThat(ResetTime.parse("")).isNull();
        assertThat(ResetTime.parse("   ")).isNull();
    }
}
