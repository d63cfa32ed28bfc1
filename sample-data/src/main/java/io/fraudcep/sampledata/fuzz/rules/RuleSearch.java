package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.expr.ExprException;
import io.fraudcep.rules.expr.ExprScope;
import io.fraudcep.rules.expr.MatchView;
import io.fraudcep.rules.expr.RuleExpression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule's matching, read from rules.md and the lead's binding semantics and written without the
 * engine: finds by exhaustive search the canonical match of the rule whose last present event is a
 * given event, among a user's accepted events.
 *
 * <p>A match gives every present step i a set E_i of events after those of the previous present
 * step. Under the closure reading, E_i is every event from first(E_i) to last(E_i) inclusive that
 * has a type of the step and satisfies its {@code where} (earlier steps bound to their sets), so
 * the search enumerates, step by step, each pair (first, last) of qualifying events and derives E_i
 * from it; it then checks {@code times}, {@code having}, {@code contiguity: strict} and the absent
 * steps. Among all matches it keeps the canonical one: the earliest first event, then the most
 * events, then the lexicographically earliest list of events.
 *
 * <p>The search is memoised: the best completion of a match from step s on depends only on s, the
 * previous step's last event and the sets of the earlier steps that the remaining expressions name
 * (found by scanning their text for step names, a superset of what they can read).
 */
final class RuleSearch {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Rule rule;
    private final List<Present> present;
    private final List<Absent> trailing;
    private final Duration forDuration;

    /** An absent step: no event of its types satisfying its where may sit where it stands. */
    private record Absent(Step step, RuleExpression where) {}

    /**
     * A present step with the absent steps just before it and the earlier present steps (by
     * position in {@link #present}) that the expressions of this step and later ones may read.
     */
    private record Present(
            Step step,
            RuleExpression where,
            RuleExpression having,
            List<Absent> absentBefore,
            List<Integer> readsEarlier) {}

    private RuleSearch(
            Rule rule, List<Present> present, List<Absent> trailing, Duration forDuration) {
        this.rule = rule;
        this.present = present;
        this.trailing = trailing;
        this.forDuration = forDuration;
    }

    /** Compiles the rule's expressions with the scopes rules.md gives them. */
    static RuleSearch of(Rule rule) {
        Map<String, ExprScope.StepShape> visible = new LinkedHashMap<>();
        List<Present> present = new ArrayList<>();
        // Per present step: the identifiers of what is checked when it is chosen (the absent steps
        // before it, its where and having).
        List<List<String>> namedBy = new ArrayList<>();
        List<Absent> pending = new ArrayList<>();
        List<String> pendingSources = new ArrayList<>();
        for (Step step : rule.steps()) {
            if (step.absent()) {
                if (present.isEmpty()) {
                    throw new IllegalArgumentException(
                            rule.id() + ": an absent step before any present step");
                }
                pending.add(new Absent(step, compile(rule, step.where(), visible, step, true)));
                pendingSources.add(step.where());
                continue;
            }
            RuleExpression where = compile(rule, step.where(), visible, step, true);
            RuleExpression having = compile(rule, step.having(), visible, step, false);
            present.add(new Present(step, where, having, List.copyOf(pending), List.of()));
            pendingSources.add(step.where());
            pendingSources.add(step.having());
            namedBy.add(List.copyOf(identifiersIn(pendingSources)));
            pending.clear();
            pendingSources.clear();
            visible.put(step.name(), new ExprScope.StepShape(step.types(), step.repeated()));
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException(rule.id() + ": no present step");
        }
        Step last = rule.steps().get(rule.steps().size() - 1);
        if (last.absent() && last.forDuration() == null) {
            throw new IllegalArgumentException(rule.id() + ": an absent last step without for");
        }
        Set<String> named = identifiersIn(pendingSources);
        List<Present> withReads = new ArrayList<>(present);
        for (int s = present.size() - 1; s >= 0; s--) {
            named.addAll(namedBy.get(s));
            List<Integer> reads = new ArrayList<>();
            for (int j = 0; j < s; j++) {
                if (named.contains(present.get(j).step().name())) {
                    reads.add(j);
                }
            }
            Present p = present.get(s);
            withReads.set(s, new Present(p.step(), p.where(), p.having(), p.absentBefore(), reads));
        }
        return new RuleSearch(
                rule,
                List.copyOf(withReads),
                List.copyOf(pending),
                last.absent() ? last.forDuration() : null);
    }

    Rule rule() {
        return rule;
    }

    /** For a rule ending with an absence: the step's {@code for}; else null. */
    Duration forDuration() {
        return forDuration;
    }

    /**
     * The canonical match whose last present event is {@code events[end]}, using only events from
     * index {@code lo} on (the window), as indices into {@code events}; or null if there is none.
     * For a rule ending with an absence, the match must also see no event satisfying the absent
     * step with a time in (t_end, t_end + for].
     */
    int[] canonical(List<EnrichedEvent> events, int lo, int end) {
        Present last = present.get(present.size() - 1);
        if (!last.step().accepts(events.get(end).event().type())) {
            return null;
        }
        return new Search(events, end).best(0, lo - 1);
    }

    /**
     * Compiles a where (the own step is the event under test) or a having (the own step is all its
     * events) that sees the earlier present steps.
     */
    private static RuleExpression compile(
            Rule rule,
            String source,
            Map<String, ExprScope.StepShape> earlier,
            Step own,
            boolean where) {
        if (source == null) {
            return null;
        }
        Map<String, ExprScope.StepShape> steps = new LinkedHashMap<>(earlier);
        steps.put(own.name(), new ExprScope.StepShape(own.types(), !where));
        ExprScope scope =
                new ExprScope(
                        rule.params(),
                        steps,
                        own.name(),
                        where ? ExprScope.Kind.WHERE : ExprScope.Kind.HAVING);
        try {
            return RuleExpression.compile(source, scope);
        } catch (ExprException e) {
            throw new IllegalArgumentException(
                    rule.id() + "." + own.name() + ": " + e.getMessage(), e);
        }
    }

    /** Every identifier in the sources: a superset of the step names they can read. */
    private static Set<String> identifiersIn(List<String> sources) {
        Set<String> names = new TreeSet<>();
        for (String source : sources) {
            if (source != null) {
                Matcher m = IDENTIFIER.matcher(source);
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    /** Match order of the canonical choice among completions of one prefix: most, then earliest. */
    private static int compareSuffix(int[] a, int[] b) {
        if (a.length != b.length) {
            return a.length > b.length ? -1 : 1;
        }
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                return a[k] < b[k] ? -1 : 1;
            }
        }
        return 0;
    }

    /**
     * The canonical order of whole matches: earliest first event, then as {@link #compareSuffix}.
     */
    private static int compareMatch(int[] a, int[] b) {
        if (a[0] != b[0]) {
            return a[0] < b[0] ? -1 : 1;
        }
        return compareSuffix(a, b);
    }

    /** One search for the matches ending at one event. */
    private final class Search {
        private final List<EnrichedEvent> events;
        private final int end;
        private final Map<String, List<EnrichedEvent>> bound = new HashMap<>();
        private final List<List<Integer>> boundIndices = new ArrayList<>();
        private final Map<List<Object>, Optional<int[]>> memo = new HashMap<>();

        Search(List<EnrichedEvent> events, int end) {
            this.events = events;
            this.end = end;
        }

        /**
         * The best completion (as {@link #compareSuffix}, or {@link #compareMatch} at step 0) of a
         * match whose present steps before s are bound and whose previous last event is {@code
         * prevLast}; an empty array once every present step is bound and the trailing absence
         * holds; null if there is none.
         */
        int[] best(int s, int prevLast) {
            if (s == present.size()) {
                return trailingAbsenceHolds() ? new int[0] : null;
            }
            Present p = present.get(s);
            List<Object> key = new ArrayList<>();
            key.add(s);
            key.add(prevLast);
            for (int j : p.readsEarlier()) {
                key.add(boundIndices.get(j));
            }
            Optional<int[]> known = memo.get(key);
            if (known != null) {
                return known.orElse(null);
            }
            int[] best = null;
            boolean isLast = s == present.size() - 1;
            // The last present step ends at end; an earlier one leaves room for the next steps.
            int maxIndex = isLast ? end : end - 1;
            int firstAbsent = firstAbsentEvent(p, prevLast);
            int maxFirst = Math.min(maxIndex, firstAbsent);
            if (p.step().strict() && s > 0) {
                maxFirst = Math.min(maxFirst, prevLast + 1);
            }
            boolean[] qualifies = new boolean[maxIndex + 1];
            for (int k = prevLast + 1; k <= maxIndex; k++) {
                qualifies[k] = satisfies(p.step(), p.where(), events.get(k));
            }
            for (int first = prevLast + 1; first <= maxFirst; first++) {
                if (!qualifies[first]) {
                    continue;
                }
                List<Integer> taken = new ArrayList<>();
                for (int last = first; last <= maxIndex; last++) {
                    if (!qualifies[last]) {
                        continue;
                    }
                    taken.add(last);
                    if (taken.size() > p.step().times().max()) {
                        break;
                    }
                    if (taken.size() < p.step().times().min() || (isLast && last != end)) {
                        continue;
                    }
                    int[] candidate = withTaken(s, p, taken, last);
                    if (candidate != null
                            && (best == null
                                    || (s == 0
                                                    ? compareMatch(candidate, best)
                                                    : compareSuffix(candidate, best))
                                            < 0)) {
                        best = candidate;
                    }
                }
            }
            memo.put(key, Optional.ofNullable(best));
            return best;
        }

        /** Binds step s to the taken events, checks its having, and completes the match. */
        private int[] withTaken(int s, Present p, List<Integer> taken, int last) {
            List<EnrichedEvent> set = new ArrayList<>(taken.size());
            for (int k : taken) {
                set.add(events.get(k));
            }
            String name = p.step().name();
            bound.put(name, set);
            boundIndices.add(List.copyOf(taken));
            try {
                if (p.having() != null && !p.having().test(new View(null, null))) {
                    return null;
                }
                int[] rest = best(s + 1, last);
                if (rest == null) {
                    return null;
                }
                int[] match = new int[taken.size() + rest.length];
                for (int k = 0; k < taken.size(); k++) {
                    match[k] = taken.get(k);
                }
                System.arraycopy(rest, 0, match, taken.size(), rest.length);
                return match;
            } finally {
                bound.remove(name);
                boundIndices.remove(boundIndices.size() - 1);
            }
        }

        /**
         * The index of the first event after {@code prevLast} that satisfies an absent step before
         * step p (the step's first event may be that one, not a later one); or the last index.
         */
        private int firstAbsentEvent(Present p, int prevLast) {
            if (p.absentBefore().isEmpty()) {
                return end;
            }
            for (int k = prevLast + 1; k <= end; k++) {
                for (Absent a : p.absentBefore()) {
                    if (satisfies(a.step(), a.where(), events.get(k))) {
                        return k;
                    }
                }
            }
            return end;
        }

        /** No event with a time in (t_end, t_end + for] satisfies a trailing absent step. */
        private boolean trailingAbsenceHolds() {
            if (trailing.isEmpty()) {
                return true;
            }
            Instant from = events.get(end).timestamp();
            Instant deadline = from.plus(forDuration);
            for (int k = end + 1; k < events.size(); k++) {
                EnrichedEvent e = events.get(k);
                if (e.timestamp().isAfter(deadline)) {
                    break;
                }
                if (!e.timestamp().isAfter(from)) {
                    continue;
                }
                for (Absent a : trailing) {
                    if (satisfies(a.step(), a.where(), e)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean satisfies(Step step, RuleExpression where, EnrichedEvent e) {
            return step.accepts(e.event().type())
                    && (where == null || where.test(new View(step.name(), e)));
        }

        /** What an expression reads: the event under test and the bound steps. */
        private final class View implements MatchView {
            private final String ownStep;
            private final EnrichedEvent current;

            View(String ownStep, EnrichedEvent current) {
                this.ownStep = ownStep;
                this.current = current;
            }

            @Override
            public EnrichedEvent current() {
                return current;
            }

            @Override
            public List<EnrichedEvent> events(String step) {
                if (current != null && step.equals(ownStep)) {
                    return List.of(current);
                }
                List<EnrichedEvent> set = bound.get(step);
                if (set == null) {
                    throw new IllegalStateException(rule.id() + ": step " + step + " is not bound");
                }
                return set;
            }
        }
    }
}
