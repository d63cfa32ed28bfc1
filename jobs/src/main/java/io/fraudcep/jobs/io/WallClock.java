package io.fraudcep.jobs.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The wall clock, to the millisecond: only for the {@code emittedAt}/{@code writtenAt} stamps of
 * outputs, never for a detection decision (the live job's {@link FutureTimestampGuard} reads the
 * wall clock itself to reject implausible event times).
 */
public final class WallClock {

    private WallClock() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
