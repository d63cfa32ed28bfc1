package io.fraudcep.rules.vectors;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertIds;
import java.time.Instant;
import java.util.List;

/**
 * The fields of an alert that a vector decides, so expected and actual alerts compare (and print)
 * as values.
 *
 * @param ruleId the rule
 * @param userId the user
 * @param windowStart the time of the first matched event
 * @param detectedAt the trigger's instant
 * @param eventIds the matched events in order
 * @param alertId {@link AlertIds#of} of rule, user and events
 */
record ExpectedAlert(
        String ruleId,
        String userId,
        Instant windowStart,
        Instant detectedAt,
        List<String> eventIds,
        String alertId) {

    static ExpectedAlert of(
            String ruleId,
            String userId,
            Instant windowStart,
            Instant detectedAt,
            List<String> eventIds) {
        return new ExpectedAlert(
                ruleId,
                userId,
                windowStart,
                detectedAt,
                List.copyOf(eventIds),
                AlertIds.of(ruleId, userId, eventIds));
    }

    static ExpectedAlert actual(Alert a) {
        return new ExpectedAlert(
                a.patternId(),
                a.userId(),
                a.windowStart(),
                a.detectedAt(),
                List.copyOf(a.eventIds()),
                a.alertId());
    }
}
