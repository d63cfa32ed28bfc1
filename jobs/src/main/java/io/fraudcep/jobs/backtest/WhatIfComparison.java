package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts of two pattern configurations over the same replay, side by side per pattern. Alert
 * ids cannot pair them (they hash the matched events, which a threshold change moves), so an A and
 * a B alert are the same when they name the same user, pattern and detection time; of the rest, an
 * A and a B alert of the same user and pattern that share a matched event are the same incident
 * detected at another time ("shifted"); what is left is only in A or only in B.
 *
 * @param patterns one entry per pattern, in catalogue order
 * @param total the sums over all patterns (lists concatenated)
 */
public record WhatIfComparison(List<PatternDiff> patterns, PatternDiff total) {

    private static final Comparator<Alert> ORDER =
            Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId);

    /** Compares the alerts of A and B; {@code patternOrder} orders the rows. */
    public static WhatIfComparison of(
            Collection<Alert> a, Collection<Alert> b, List<String> patternOrder) {
        Map<String, List<Alert>> byPatternA = byPattern(a);
        Map<String, List<Alert>> byPatternB = byPattern(b);
        Set<String> seen = new HashSet<>(byPatternA.keySet());
        seen.addAll(byPatternB.keySet());
        List<PatternDiff> rows = new ArrayList<>();
        List<AlertRef> both = new ArrayList<>();
        List<PatternDiff.Shift> shifted = new ArrayList<>();
        List<AlertRef> onlyA = new ArrayList<>();
        List<AlertRef> onlyB = new ArrayList<>();
        for (String id : BacktestScorer.order(patternOrder, seen)) {
            PatternDiff d =
                    diff(
                            id,
                            byPatternA.getOrDefault(id, List.of()),
                            byPatternB.getOrDefault(id, List.of()));
            rows.add(d);
            both.addAll(d.both());
            shifted.addAll(d.shifted());
            onlyA.addAll(d.onlyA());
            onlyB.addAll(d.onlyB());
        }
        return new WhatIfComparison(
                List.copyOf(rows), new PatternDiff("all", both, shifted, onlyA, onlyB));
    }

    /** The entry of one pattern, or null. */
    public PatternDiff of(String patternId) {
        for (PatternDiff d : patterns) {
            if (d.patternId().equals(patternId)) {
                return d;
            }
        }
        return null;
    }

    private static Map<String, List<Alert>> byPattern(Collection<Alert> alerts) {
        Map<String, List<Alert>> m = new LinkedHashMap<>();
        for (Alert x : alerts) {
            m.computeIfAbsent(x.patternId(), k -> new ArrayList<>()).add(x);
        }
        m.values().forEach(l -> l.sort(ORDER));
        return m;
    }

    private static PatternDiff diff(String patternId, List<Alert> a, List<Alert> b) {
        Map<Key, LinkedList<Alert>> openB = new HashMap<>();
        for (Alert x : b) {
            openB.computeIfAbsent(Key.of(x), k -> new LinkedList<>()).add(x);
        }
        List<AlertRef> both = new ArrayList<>();
        List<Alert> restA = new ArrayList<>();
        for (Alert x : a) {
            LinkedList<Alert> same = openB.get(Key.of(x));
            if (same != null && !same.isEmpty()) {
                same.removeFirst();
                both.add(AlertRef.of(x));
            } else {
                restA.add(x);
            }
        }
        // What B has left, per user, in time order.
        Map<String, List<Alert>> restB = new LinkedHashMap<>();
        for (Alert x : b) {
            LinkedList<Alert> open = openB.get(Key.of(x));
            if (open.remove(x)) {
                restB.computeIfAbsent(x.userId(), k -> new ArrayList<>()).add(x);
            }
        }
        List<PatternDiff.Shift> shifted = new ArrayList<>();
        List<AlertRef> onlyA = new ArrayList<>();
        for (Alert x : restA) {
            Alert partner = takeOverlapping(restB.get(x.userId()), x);
            if (partner != null) {
                shifted.add(new PatternDiff.Shift(AlertRef.of(x), AlertRef.of(partner)));
            } else {
                onlyA.add(AlertRef.of(x));
            }
        }
        List<Alert> leftB = new ArrayList<>();
        restB.values().forEach(leftB::addAll);
        leftB.sort(ORDER);
        List<AlertRef> onlyB = new ArrayList<>();
        leftB.forEach(x -> onlyB.add(AlertRef.of(x)));
        return new PatternDiff(
                patternId,
                List.copyOf(both),
                List.copyOf(shifted),
                List.copyOf(onlyA),
                List.copyOf(onlyB));
    }

    /** Removes and returns the first of {@code candidates} sharing a matched event with x. */
    private static Alert takeOverlapping(List<Alert> candidates, Alert x) {
        if (candidates == null) {
            return null;
        }
        Set<String> events = new HashSet<>(x.eventIds());
        for (Iterator<Alert> it = candidates.iterator(); it.hasNext(); ) {
            Alert y = it.next();
            for (String e : y.eventIds()) {
                if (events.contains(e)) {
                    it.remove();
                    return y;
                }
            }
        }
        return null;
    }

    private record Key(String userId, Instant detectedAt) {
        static Key of(Alert a) {
            return new Key(a.userId(), a.detectedAt());
        }
    }
}
