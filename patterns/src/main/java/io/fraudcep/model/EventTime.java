package io.fraudcep.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting of instants for output: UTC, milliseconds always, finer digits when present. */
public final class EventTime {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
                    .withZone(ZoneOffset.UTC);

    private EventTime() {}

    /** E.g. {@code 2026-03-01T12:00:00.000Z}; nine fraction digits if the instant needs them. */
    public static String format(Instant instant) {
        return instant.getNano() % 1_000_000 == 0 ? MILLIS.format(instant) : NANOS.format(instant);
    }
}
