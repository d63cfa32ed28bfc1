package io.fraudcep.engine;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.expr.MatchView;
import io.fraudcep.rules.expr.RuleExpression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the canonical match of one rule for one trigger in a user's recent events: the match with
 * the earliest first event, then the most events, then the earliest events position by position.
 *
 * <p>A match gives each present step the events between its first and its last that satisfy it (a
 * repeated step takes every qualifying event in its span), so a match is fixed by each step's first
 * and last event. The search tries first events of the first step from the oldest in the window on;
 * for each it explores every choice of the later steps' spans and keeps the largest match; the
 * first first event with a match ends the search. Each event's own conditions (type, and a {@code
 * where} that reads no other step) come from its mask; conditions that read other steps are
 * evaluated with the steps bound so far.
 *
 * <p>Not thread-safe; one per rule and operator instance.
 */
final class Matcher implements MatchView {

    private final CompiledRule rule;
    private final Map<String, Integer> stepIndex = new HashMap<>();
    private final List<EnrichedEvent>[] bound;

    private EnrichedEvent[] events;
    private long[] masks;
    private int words;
    private int lastFrom;
    private int lastTo;
    private Instant deadline;

    private EnrichedEvent current;
    private Duration span;

    /** Indices of the events chosen so far, and the step of each. */
    private int[] chosen = new int[16];

    private int[] chosenStep = new int[16];
    private int chosenCount;

    private int[] best;
    private int[] bestStep;

    @SuppressWarnings("unchecked")
    Matcher(CompiledRule rule) {
        this.rule = rule;
        this.bound = new List[rule.stepCount()];
        for (int i = 0; i < rule.stepCount(); i++) {
            stepIndex.put(rule.rule.steps().get(i).name(), i);
        }
    }

    /** The canonical match found by the last {@link #find}: event indices in order. */
    int[] matchIndices() {
        return best;
    }

    /** The step of each event of {@link #matchIndices()}. */
    int[] matchSteps() {
        return bestStep;
    }

    /**
     * Searches the canonical match whose last present event is one of {@code events[lastFrom..
     * lastTo]} (events of one event time), and, for a rule that ends with an absence, that no event
     * in (that time, {@code deadline}] breaks. Returns true if there is one.
     */
    boolean find(
            EnrichedEvent[] events,
            long[] masks,
            int words,
            int lastFrom,
            int lastTo,
            Instant deadline) {
        this.events = events;
        this.masks = masks;
        this.words = words;
        this.lastFrom = lastFrom;
        this.lastTo = lastTo;
        this.deadline = deadline;
        this.best = null;
        this.bestStep = null;
        Instant last = events[lastFrom].timestamp();
        Instant windowOpen = last.minus(rule.rule.window());
        int lo = lastFrom;
        while (lo > 0 && events[lo - 1].timestamp().isAfter(windowOpen)) {
            lo--;
        }
        int first = rule.present[0];
        for (int f = lo; f <= lastTo && best == null; f++) {
            chosenCount = 0;
            if (qualifies(first, f)) {
                explore(0, f, -1);
            }
        }
        Arrays.fill(bound, null);
        current = null;
        return best != null;
    }

    /**
     * Binds the events of the canonical match (after a successful {@link #find}) to their steps,
     * for the alert's summary and evidence through this view.
     */
    void bindBest() {
        Arrays.fill(bound, null);
        current = null;
        for (int i = 0; i < best.length; i++) {
            int s = bestStep[i];
            if (bound[s] == null) {
                bound[s] = new ArrayList<>();
            }
            bound[s].add(events[best[i]]);
        }
        span =
                Duration.between(
                        events[best[0]].timestamp(), events[best[best.length - 1]].timestamp());
    }

    /** The steps' events of the bound match, by step index (null for absent steps). */
    List<EnrichedEvent> boundEvents(int step) {
        return bound[step];
    }

    private void explore(int j, int fixedFirst, int prevLast) {
        int s = rule.present[j];
        Step step = rule.rule.steps().get(s);
        boolean isLast = j == rule.present.length - 1;
        int fFrom;
        int fTo;
        if (j == 0) {
            fFrom = fixedFirst;
            fTo = fixedFirst;
        } else if (step.strict()) {
            int next = prevLast + 1;
            if (next > lastTo || events[next].priorEvents() != events[prevLast].priorEvents() + 1) {
                return;
            }
            fFrom = next;
            fTo = next;
        } else {
            fFrom = prevLast + 1;
            fTo = lastTo;
        }
        int mark = chosenCount;
        for (int f = fFrom; f <= fTo; f++) {
            if (j > 0 && f > fFrom && brokenByAbsence(j, f - 1)) {
                // An event between the previous step and f satisfies an absent step: it lies
                // between the previous step and every later f too.
                return;
            }
            if (!qualifies(s, f)) {
                continue;
            }
            if (!step.repeated()) {
                if (isLast && f < lastFrom) {
                    continue;
                }
                push(f, s);
                bound[s] = List.of(events[f]);
                complete(j, isLast, f);
                chosenCount = mark;
                continue;
            }
            List<EnrichedEvent> taken = new ArrayList<>();
            int lMax = isLast ? lastTo : lastTo - 1;
            for (int l = f; l <= lMax; l++) {
                if (l > f && !qualifies(s, l)) {
                    continue;
                }
                taken.add(events[l]);
                push(l, s);
                if (taken.size() > step.times().max()) {
                    break;
                }
                if (taken.size() < step.times().min() || (isLast && l < lastFrom)) {
                    continue;
                }
                bound[s] = taken;
                RuleExpression having = rule.having[s];
                if (having == null || having.test(this)) {
                    complete(j, isLast, l);
                }
            }
            chosenCount = mark;
        }
    }

    /** After present step j's events are chosen (the last one at {@code l}). */
    private void complete(int j, boolean isLast, int l) {
        if (!isLast) {
            int mark = chosenCount;
            explore(j + 1, -1, l);
            chosenCount = mark;
            return;
        }
        if (deadline != null && brokenBeforeDeadline(l)) {
            return;
        }
        record();
    }

    /** True if an event in (prevLast, f] satisfies an absent step before present step j. */
    private boolean brokenByAbsence(int j, int y) {
        for (int a : rule.absentBefore[j]) {
            if (qualifies(a, y)) {
                return true;
            }
        }
        return false;
    }

    /** True if an event in (t_l, deadline] satisfies the trailing absent step. */
    private boolean brokenBeforeDeadline(int l) {
        Instant t = events[l].timestamp();
        for (int x = l + 1; x < events.length; x++) {
            Instant tx = events[x].timestamp();
            if (tx.isAfter(deadline)) {
                return false;
            }
            if (tx.isAfter(t) && qualifies(rule.trailingAbsent, x)) {
                return true;
            }
        }
        return false;
    }

    private boolean qualifies(int step, int x) {
        int bit = rule.bit(step);
        if ((masks[x * words + (bit >>> 6)] & (1L << (bit & 63))) == 0) {
            return false;
        }
        RuleExpression where = rule.where[step];
        if (where == null || !where.readsSteps()) {
            return true;
        }
        current = events[x];
        boolean ok = where.test(this);
        current = null;
        return ok;
    }

    private void push(int index, int step) {
        if (chosenCount == chosen.length) {
            chosen = Arrays.copyOf(chosen, chosenCount * 2);
            chosenStep = Arrays.copyOf(chosenStep, chosenCount * 2);
        }
        chosen[chosenCount] = index;
        chosenStep[chosenCount] = step;
        chosenCount++;
    }

    private void record() {
        if (best != null && !better()) {
            return;
        }
        best = Arrays.copyOf(chosen, chosenCount);
        bestStep = Arrays.copyOf(chosenStep, chosenCount);
    }

    /** More events, or as many and earlier position by position. */
    private boolean better() {
        if (chosenCount != best.length) {
            return chosenCount > best.length;
        }
        for (int i = 0; i < chosenCount; i++) {
            if (chosen[i] != best[i]) {
                return chosen[i] < best[i];
            }
        }
        return false;
    }

    @Override
    public EnrichedEvent current() {
        return current;
    }

    @Override
    public List<EnrichedEvent> events(String step) {
        Integer i = stepIndex.get(step);
        return i == null ? null : bound[i];
    }

    @Override
    public Duration span() {
        return span;
    }
}
