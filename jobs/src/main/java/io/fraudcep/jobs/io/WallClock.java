package io.fraudcep.jobs.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The wall clock, to the millisecond: only for the {@code emittedAt}/{@code writtenAt} stamps of
 * outputs, never for a decision.
 */
public final class WallClock {

    private WallClock() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
