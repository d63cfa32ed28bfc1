package io.fraudcep.jobs.backtest;

/**
 * How one pattern's alerts compare with the labels.
 *
 * @param patternId the pattern, or {@code all} for the totals
 * @param positives labelled positives
 * @param nearMisses labelled near misses (scenarios that must not fire)
 * @param alerts alerts of the replay
 * @param truePositives alerts matching a positive label
 * @param falsePositives alerts matching none
 * @param misses positive labels no alert matched
 */
public record PatternScore(
        String patternId,
        int positives,
        int nearMisses,
        int alerts,
        int truePositives,
        int falsePositives,
        int misses) {

    /** True positives over alerts, or null without alerts. */
    public Double precision() {
        return alerts == 0 ? null : (double) truePositives / alerts;
    }

    /** True positives over labelled positives, or null without positives. */
    public Double recall() {
        return positives == 0 ? null : (double) truePositives / positives;
    }

    PatternScore plus(PatternScore o) {
        return new PatternScore(
                patternId,
                positives + o.positives,
                nearMisses + o.nearMisses,
                alerts + o.alerts,
                truePositives + o.truePositives,
                falsePositives + o.falsePositives,
                misses + o.misses);
    }
}
