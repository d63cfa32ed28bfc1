package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertIds;
import io.fraudcep.alert.Severity;
import java.time.Instant;
import java.util.List;

/** Hand-made alerts for the scorer, comparison and report tests. */
final class TestAlerts {

    /** Monday 2026-01-05 00:00 UTC, the generator's default first day. */
    static final Instant DAY_1 = Instant.parse("2026-01-05T00:00:00Z");

    private TestAlerts() {}

    /** Time {@code minutes} after {@link #DAY_1}. */
    static Instant at(long minutes) {
        return DAY_1.plusSeconds(minutes * 60);
    }

    /** An alert of {@code pattern} for {@code user} on {@code eventIds}, the last the trigger. */
    static Alert alert(
            String pattern, String version, String user, Instant detectedAt, String... eventIds) {
        List<String> ids = List.of(eventIds);
        return new Alert(
                AlertIds.of(pattern, user, ids),
                pattern,
                version,
                Severity.MEDIUM,
                user,
                detectedAt.minusSeconds(60),
                detectedAt,
                ids,
                pattern + " for " + user,
                List.of());
    }

    static Alert alert(String pattern, String user, Instant detectedAt, String... eventIds) {
        return alert(pattern, "1-test", user, detectedAt, eventIds);
    }
}
