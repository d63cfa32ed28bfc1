package io.fraudcep.jobs.backtest;

import java.time.Instant;

/**
 * One line of the generator's {@code labels.jsonl}: a scenario injected for a user. A positive
 * carries the alert the pipeline must emit for it; a near miss carries no detection.
 *
 * @param userId the user
 * @param patternId the pattern the scenario is about
 * @param positive whether the pattern must fire
 * @param variant the generator's name of the scenario variant
 * @param triggerEventId for a positive, the event that must trigger the alert (may be null)
 * @param windowStart for a positive, the time of the first matched event (may be null)
 * @param detectedAt for a positive, the time of the triggering event
 */
public record LabelledScenario(
        String userId,
        String patternId,
        boolean positive,
        String variant,
        String triggerEventId,
        Instant windowStart,
        Instant detectedAt) {

    /** A positive label, as a test or the scorer's caller writes it. */
    public static LabelledScenario positive(
            String userId, String patternId, String triggerEventId, Instant detectedAt) {
        return new LabelledScenario(
                userId, patternId, true, "positive", triggerEventId, null, detectedAt);
    }

    /** A near-miss label. */
    public static LabelledScenario nearMiss(String userId, String patternId) {
        return new LabelledScenario(userId, patternId, false, "near-miss", null, null, null);
    }
}
