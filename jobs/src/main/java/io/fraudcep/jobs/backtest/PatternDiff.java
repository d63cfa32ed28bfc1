package io.fraudcep.jobs.backtest;

import java.util.List;

/**
 * One pattern's alerts under configuration A (in force) and B (what-if).
 *
 * @param patternId the pattern, or {@code all} for the totals
 * @param both alerts of A that B raised too, for the same user at the same detection time
 * @param shifted pairs of an A and a B alert for the same user that share matched events but were
 *     detected at different times: the same incident, found earlier or later
 * @param onlyA alerts of A that B did not raise
 * @param onlyB alerts of B that A did not raise
 */
public record PatternDiff(
        String patternId,
        List<AlertRef> both,
        List<Shift> shifted,
        List<AlertRef> onlyA,
        List<AlertRef> onlyB) {

    /** An incident both configurations alerted, at different times. */
    public record Shift(AlertRef a, AlertRef b) {}

    public int alertsA() {
        return both.size() + shifted.size() + onlyA.size();
    }

    public int alertsB() {
        return both.size() + shifted.size() + onlyB.size();
    }

    /** Whether B changes anything for this pattern. */
    public boolean differs() {
        return !shifted.isEmpty() || !onlyA.isEmpty() || !onlyB.isEmpty();
    }
}
