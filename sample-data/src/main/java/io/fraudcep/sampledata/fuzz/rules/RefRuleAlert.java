package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.alert.AlertIds;
import io.fraudcep.rules.RuleMode;
import java.time.Instant;
import java.util.List;

/**
 * One alert that {@link RuleReference} demands of a rule set or a rule history on a log: the fields
 * of alerts.md and rules.md that the log and the rules alone fix.
 *
 * @param ruleId the rule's id
 * @param userId the user
 * @param windowStart event time of the first matched event
 * @param detectedAt the trigger instant: the time of the last matched event, or for a rule ending
 *     with an absence the deadline (last present event plus the step's {@code for})
 * @param eventIds the matched present events in (event time, eventId) order
 * @param mode the mode of the rule version that judged the trigger: active alerts go to {@code
 *     fraud-alerts}, shadow ones to the shadow topic
 * @param patternVersion the alert's {@code patternVersion}: the judging rule version's version and
 *     hash ({@code RuleCanonical.patternVersion})
 */
public record RefRuleAlert(
        String ruleId,
        String userId,
        Instant windowStart,
        Instant detectedAt,
        List<String> eventIds,
        RuleMode mode,
        String patternVersion) {

    public RefRuleAlert {
        eventIds = List.copyOf(eventIds);
    }

    /** The alert's deterministic id (alerts.md), as {@link AlertIds} derives it. */
    public String alertId() {
        return AlertIds.of(ruleId, userId, eventIds);
    }
}
