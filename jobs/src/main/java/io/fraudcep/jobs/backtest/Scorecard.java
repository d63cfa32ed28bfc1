package io.fraudcep.jobs.backtest;

import java.util.List;
import java.util.Set;

/**
 * The replay's alerts scored against labels.
 *
 * @param patterns one row per pattern, in catalogue order
 * @param total the sums over all patterns
 * @param truePositiveAlertIds the ids of the alerts that matched a positive label
 * @param missed the positive labels no alert matched
 */
public record Scorecard(
        List<PatternScore> patterns,
        PatternScore total,
        Set<String> truePositiveAlertIds,
        List<LabelledScenario> missed) {

    /** The row of one pattern, or null. */
    public PatternScore of(String patternId) {
        for (PatternScore s : patterns) {
            if (s.patternId().equals(patternId)) {
                return s;
            }
        }
        return null;
    }
}
