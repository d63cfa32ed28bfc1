package io.fraudcep.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import java.time.Instant;
import java.util.List;

/** The assertions every pattern test makes on an alert's identity and matched events. */
final class AlertExpectations {

    private AlertExpectations() {}

    /**
     * Asserts what a consumer reads first: the pattern, the user, when the match started and ended,
     * and exactly which events matched, in event-time order.
     */
    static void assertAlert(
            Alert alert,
            String patternId,
            Severity severity,
            String userId,
            Instant windowStart,
            Instant detectedAt,
            List<String> eventIds) {
        assertThat(alert.patternId()).as("patternId").isEqualTo(patternId);
        assertThat(alert.severity()).as("severity").isEqualTo(severity);
        assertThat(alert.userId()).as("userId").isEqualTo(userId);
        assertThat(alert.windowStart()).as("windowStart").isEqualTo(windowStart);
        assertThat(alert.detectedAt()).as("detectedAt").isEqualTo(detectedAt);
        assertThat(alert.eventIds()).as("eventIds").containsExactlyElementsOf(eventIds);
        assertThat(alert.alertId()).as("alertId").isNotBlank();
        assertThat(alert.patternVersion()).as("patternVersion").isNotBlank();
        assertThat(alert.summary()).as("summary").isNotBlank();
    }

    /** The alerts are exactly one, and it is as given. */
    static void assertOnlyAlert(
            List<Alert> alerts,
            String patternId,
            Severity severity,
            String userId,
            Instant windowStart,
            Instant detectedAt,
            List<String> eventIds) {
        assertThat(alerts).hasSize(1);
        assertAlert(alerts.get(0), patternId, severity, userId, windowStart, detectedAt, eventIds);
    }
}
