package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleScopes;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.expr.ExprException;
import io.fraudcep.rules.expr.MatchView;
import io.fraudcep.rules.expr.RuleExpression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second, slower reading of the match definition, to check {@link RuleSearch}'s pruning and
 * memoisation: it enumerates every assignment of (first, last) to the present steps, checks each
 * candidate against the whole definition at once (closure, times, having, strictness, every
 * absence, the deadline), collects all matches and picks the canonical one by sorting.
 */
final class NaiveMatches {

    /** Thrown when a search would take too long to be worth it. */
    static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private final Rule rule;
    private final List<Integer> present = new ArrayList<>();
    private final Map<Integer, RuleExpression> where = new HashMap<>();
    private final Map<Integer, RuleExpression> having = new HashMap<>();
    private final long budget;

    NaiveMatches(Rule rule, long budget) {
        this.rule = rule;
        this.budget = budget;
        try {
            for (int i = 0; i < rule.steps().size(); i++) {
                Step s = rule.steps().get(i);
                if (!s.absent()) {
                    present.add(i);
                }
                if (s.where() != null) {
                    where.put(i, RuleExpression.compile(s.where(), RuleScopes.where(rule, i)));
                }
                if (s.having() != null) {
                    having.put(i, RuleExpression.compile(s.having(), RuleScopes.having(rule, i)));
                }
            }
        } catch (ExprException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The canonical match ending at {@code end} with events from {@code lo} on, or null. */
    int[] canonical(List<EnrichedEvent> events, int lo, int end) {
        List<int[]> all = new ArrayList<>();
        long[] steps = {0};
        enumerate(events, lo, end, 0, lo - 1, new ArrayList<>(), all, steps);
        int[] best = null;
        for (int[] m : all) {
            if (best == null || better(m, best)) {
                best = m;
            }
        }
        return best;
    }

    private void enumerate(
            List<EnrichedEvent> events,
            int lo,
            int end,
            int p,
            int prevLast,
            List<List<Integer>> sets,
            List<int[]> out,
            long[] steps) {
        if (++steps[0] > budget) {
            throw new TooMany();
        }
        if (p == present.size()) {
            if (holds(events, end, sets)) {
                out.add(sets.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray());
            }
            return;
        }
        int stepIndex = present.get(p);
        Step step = rule.steps().get(stepIndex);
        Map<String, List<EnrichedEvent>> bound = bound(events, sets);
        boolean[] qualifies = new boolean[end + 1];
        for (int k = prevLast + 1; k <= end; k++) {
            qualifies[k] = qualifies(stepIndex, events.get(k), bound);
        }
        for (int first = prevLast + 1; first <= end; first++) {
            for (int last = first; last <= end; last++) {
                if (p == present.size() - 1 && last != end) {
                    continue;
                }
                List<Integer> set = new ArrayList<>();
                for (int k = first; k <= last; k++) {
                    if (qualifies[k]) {
                        set.add(k);
                    }
                }
                if (set.isEmpty() || set.get(0) != first || set.get(set.size() - 1) != last) {
                    continue;
                }
                if (!step.times().allows(set.size())) {
                    continue;
                }
                if (step.strict() && p > 0 && first != prevLast + 1) {
                    continue;
                }
                if (having.containsKey(stepIndex)) {
                    Map<String, List<EnrichedEvent>> withOwn = new HashMap<>(bound);
                    withOwn.put(step.name(), set.stream().map(events::get).toList());
                    if (!having.get(stepIndex).test(view(null, null, withOwn))) {
                        continue;
                    }
                }
                sets.add(set);
                enumerate(events, lo, end, p + 1, last, sets, out, steps);
                sets.remove(sets.size() - 1);
            }
        }
    }

    /** Every absent step: none of its events between its neighbours, or up to the deadline. */
    private boolean holds(List<EnrichedEvent> events, int end, List<List<Integer>> sets) {
        for (int i = 0; i < rule.steps().size(); i++) {
            if (!rule.steps().get(i).absent()) {
                continue;
            }
            int before = present.indexOf(previousPresent(i));
            List<Integer> prevSet = sets.get(before);
            int from = prevSet.get(prevSet.size() - 1) + 1;
            Map<String, List<EnrichedEvent>> bound = bound(events, sets.subList(0, before + 1));
            if (i == rule.steps().size() - 1) {
                Instant tp = events.get(end).timestamp();
                Instant deadline = tp.plus(rule.steps().get(i).forDuration());
                for (int k = end + 1; k < events.size(); k++) {
                    Instant t = events.get(k).timestamp();
                    if (t.isAfter(tp)
                            && !t.isAfter(deadline)
                            && qualifies(i, events.get(k), bound)) {
                        return false;
                    }
                }
            } else {
                int to = sets.get(before + 1).get(0);
                for (int k = from; k < to; k++) {
                    if (qualifies(i, events.get(k), bound)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private int previousPresent(int absentIndex) {
        int p = absentIndex - 1;
        while (rule.steps().get(p).absent()) {
            p--;
        }
        return p;
    }

    private boolean qualifies(
            int stepIndex, EnrichedEvent e, Map<String, List<EnrichedEvent>> bound) {
        Step step = rule.steps().get(stepIndex);
        return step.accepts(e.event().type())
                && (!where.containsKey(stepIndex)
                        || where.get(stepIndex).test(view(step.name(), e, bound)));
    }

    private Map<String, List<EnrichedEvent>> bound(
            List<EnrichedEvent> events, List<List<Integer>> sets) {
        Map<String, List<EnrichedEvent>> bound = new HashMap<>();
        for (int p = 0; p < sets.size(); p++) {
            bound.put(
                    rule.steps().get(present.get(p)).name(),
                    sets.get(p).stream().map(events::get).toList());
        }
        return bound;
    }

    private static boolean better(int[] a, int[] b) {
        if (a[0] != b[0]) {
            return a[0] < b[0];
        }
        if (a.length != b.length) {
            return a.length > b.length;
        }
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                return a[k] < b[k];
            }
        }
        return false;
    }

    private static MatchView view(
            String own, EnrichedEvent current, Map<String, List<EnrichedEvent>> bound) {
        return new MatchView() {
            @Override
            public EnrichedEvent current() {
                return current;
            }

            @Override
            public List<EnrichedEvent> events(String step) {
                return current != null && step.equals(own) ? List.of(current) : bound.get(step);
            }
        };
    }
}
