package io.fraudcep.alert;

import java.time.Instant;
import java.util.List;

/**
 * A fraud alert as alerts.md defines it, minus {@code emittedAt}, which the sink stamps with the
 * wall clock when it writes the alert (the one field outside determinism).
 *
 * @param alertId deterministic id from pattern, user and matched event ids
 * @param patternId the pattern
 * @param patternVersion the version of the pattern's parameters in force
 * @param severity the pattern's severity
 * @param userId the user
 * @param windowStart event time of the first matched event
 * @param detectedAt event time of the triggering event
 * @param eventIds matched events in event-time order
 * @param summary one human-readable sentence
 * @param evidence typed facts
 */
public record Alert(
        String alertId,
        String patternId,
        String patternVersion,
        Severity severity,
        String userId,
        Instant windowStart,
        Instant detectedAt,
        List<String> eventIds,
        String summary,
        List<Fact> evidence) {

    public static final int SCHEMA_VERSION = 1;
}
