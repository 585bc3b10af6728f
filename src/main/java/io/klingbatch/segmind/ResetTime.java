package io.klingbatch.segmind;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses {@code x-rate-limit-reset-at-utc}. Its format is not documented, so every plausible one is read:
 * an ISO instant, an ISO or space-separated local time taken as UTC, RFC 1123, or epoch seconds/millis.
 * Anything else is null, and the caller backs off instead.
 */
final class ResetTime {

    private ResetTime() {
    }

    static Instant parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.matches("\\d{9,13}(\\.\\d+)?")) {
            double number = Double.parseDouble(value);
            return number > 1e12 ? Instant.ofEpochMilli((long) number) : Instant.ofEpochMilli((long) (number * 1000));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }
}
