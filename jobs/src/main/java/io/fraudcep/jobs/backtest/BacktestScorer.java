package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores alerts against labels. An alert is a true positive when it matches a positive label on
 * user, pattern and detection time, and on the triggering event (the alert's last event id) where
 * the label names one; each label matches at most one alert and each alert at most one label.
 * Alerts matching no positive label are false positives; positive labels no alert matched are
 * misses.
 */
public final class BacktestScorer {

    private BacktestScorer() {}

    /**
     * Scores {@code alerts} against {@code labels}.
     *
     * @param patternOrder the order of the rows (the catalogue's); patterns met only in alerts or
     *     labels follow in alphabetical order
     */
    public static Scorecard score(
            Collection<Alert> alerts,
            Collection<LabelledScenario> labels,
            List<String> patternOrder) {
        Map<Key, Deque<LabelledScenario>> open = new HashMap<>();
        Map<String, int[]> counts = new HashMap<>();
        for (LabelledScenario l : labels) {
            int[] c = counts.computeIfAbsent(l.patternId(), p -> new int[Field.values().length]);
            if (l.positive()) {
                c[Field.POSITIVES.ordinal()]++;
                open.computeIfAbsent(Key.of(l), k -> new ArrayDeque<>()).add(l);
            } else {
                c[Field.NEAR_MISSES.ordinal()]++;
            }
        }
        Set<String> truePositives = new LinkedHashSet<>();
        for (Alert a : alerts) {
            int[] c = counts.computeIfAbsent(a.patternId(), p -> new int[Field.values().length]);
            c[Field.ALERTS.ordinal()]++;
            if (matchesOpenLabel(open, a)) {
                c[Field.TRUE_POSITIVES.ordinal()]++;
                truePositives.add(a.alertId());
            }
        }
        List<LabelledScenario> missed = new ArrayList<>();
        for (LabelledScenario l : labels) {
            Deque<LabelledScenario> left = open.get(Key.of(l));
            if (l.positive() && left != null && left.remove(l)) {
                missed.add(l);
            }
        }
        List<PatternScore> rows = new ArrayList<>();
        PatternScore total = new PatternScore("all", 0, 0, 0, 0, 0, 0);
        for (String id : order(patternOrder, counts.keySet())) {
            int[] c = counts.getOrDefault(id, new int[Field.values().length]);
            int tp = c[Field.TRUE_POSITIVES.ordinal()];
            PatternScore row =
                    new PatternScore(
                            id,
                            c[Field.POSITIVES.ordinal()],
                            c[Field.NEAR_MISSES.ordinal()],
                            c[Field.ALERTS.ordinal()],
                            tp,
                            c[Field.ALERTS.ordinal()] - tp,
                            c[Field.POSITIVES.ordinal()] - tp);
            rows.add(row);
            total = total.plus(row);
        }
        return new Scorecard(List.copyOf(rows), total, truePositives, List.copyOf(missed));
    }

    private static boolean matchesOpenLabel(Map<Key, Deque<LabelledScenario>> open, Alert a) {
        String trigger = a.eventIds().isEmpty() ? null : a.eventIds().get(a.eventIds().size() - 1);
        Deque<LabelledScenario> candidates =
                open.get(new Key(a.userId(), a.patternId(), a.detectedAt()));
        if (candidates == null) {
            return false;
        }
        for (LabelledScenario l : candidates) {
            if (l.triggerEventId() == null || l.triggerEventId().equals(trigger)) {
                candidates.remove(l);
                return true;
            }
        }
        return false;
    }

    /** The given order first, then the other ids alphabetically. */
    static List<String> order(List<String> first, Collection<String> seen) {
        Set<String> ids = new LinkedHashSet<>(first);
        Set<String> rest = new TreeSet<>(seen);
        rest.removeAll(new HashSet<>(first));
        ids.addAll(rest);
        return new ArrayList<>(ids);
    }

    private enum Field {
        POSITIVES,
        NEAR_MISSES,
        ALERTS,
        TRUE_POSITIVES
    }

    private record Key(String userId, String patternId, Instant detectedAt) {
        static Key of(LabelledScenario l) {
            return new Key(l.userId(), l.patternId(), l.detectedAt());
        }
    }
}
