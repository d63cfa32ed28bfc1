package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import java.time.Instant;

/**
 * An alert as a report names it.
 *
 * @param alertId the alert id
 * @param userId the user
 * @param patternVersion the version of the pattern that fired
 * @param detectedAt the event time of the trigger
 */
public record AlertRef(String alertId, String userId, String patternVersion, Instant detectedAt) {

    public static AlertRef of(Alert a) {
        return new AlertRef(a.alertId(), a.userId(), a.patternVersion(), a.detectedAt());
    }
}
