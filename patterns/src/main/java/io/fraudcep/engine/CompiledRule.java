package io.fraudcep.engine;

import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleScopes;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.SummaryTemplate;
import io.fraudcep.rules.expr.ExprException;
import io.fraudcep.rules.expr.RuleExpression;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule ready for the engine: its expressions compiled, its steps numbered in the engine's event
 * masks, and how long an event can matter to it.
 */
final class CompiledRule implements Serializable {

    private static final long serialVersionUID = 1L;

    final Rule rule;

    /** This rule's first bit in an event's mask; step i has bit {@code firstBit + i}. */
    final int firstBit;

    /** The steps' conditions (null where a step has none), by step index. */
    final RuleExpression[] where;

    /** The steps' {@code having} (null where a step has none), by step index. */
    final RuleExpression[] having;

    /** Step indexes of the present steps, in order. */
    final int[] present;

    /**
     * For each present step (by its position in {@link #present}), the absent steps between it and
     * the present step before it.
     */
    final int[][] absentBefore;

    /** The trailing absent step's index (a rule that triggers at deadlines), or -1. */
    final int trailingAbsent;

    /** The trailing absence's period, or null. */
    final Duration absencePeriod;

    /** The summary's placeholders, compiled, in template order; empty without a summary. */
    final SummaryTemplate summary;

    final RuleExpression[] placeholders;

    /** How long after its time an event can still take part in this rule's triggers, in ms. */
    final long retentionMillis;

    CompiledRule(Rule rule, int firstBit) {
        this.rule = rule;
        this.firstBit = firstBit;
        int n = rule.steps().size();
        this.where = new RuleExpression[n];
        this.having = new RuleExpression[n];
        List<Integer> presentSteps = new ArrayList<>();
        List<int[]> absents = new ArrayList<>();
        List<Integer> pendingAbsent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Step s = rule.steps().get(i);
            where[i] = s.where() == null ? null : compile(s.where(), i, false);
            having[i] = s.having() == null ? null : compile(s.having(), i, true);
            if (s.absent()) {
                pendingAbsent.add(i);
            } else {
                presentSteps.add(i);
                absents.add(pendingAbsent.stream().mapToInt(Integer::intValue).toArray());
                pendingAbsent.clear();
            }
        }
        this.present = presentSteps.stream().mapToInt(Integer::intValue).toArray();
        this.absentBefore = absents.toArray(new int[0][]);
        Step last = rule.steps().get(n - 1);
        this.trailingAbsent = last.absent() ? n - 1 : -1;
        this.absencePeriod = last.absent() ? last.forDuration() : null;
        this.retentionMillis =
                rule.window().toMillis()
                        + (absencePeriod == null ? 0 : absencePeriod.toMillis())
                        + 1;
        if (rule.summary() == null) {
            this.summary = null;
            this.placeholders = new RuleExpression[0];
        } else {
            this.summary = SummaryTemplate.parse(rule.summary());
            List<String> sources = summary.placeholders();
            this.placeholders = new RuleExpression[sources.size()];
            for (int i = 0; i < sources.size(); i++) {
                placeholders[i] = compileSummary(sources.get(i));
            }
        }
    }

    int bit(int step) {
        return firstBit + step;
    }

    int stepCount() {
        return rule.steps().size();
    }

    /** The present step that ends a match. */
    int lastPresent() {
        return present[present.length - 1];
    }

    private RuleExpression compile(String source, int step, boolean isHaving) {
        try {
            return RuleExpression.compile(
                    source,
                    isHaving ? RuleScopes.having(rule, step) : RuleScopes.where(rule, step));
        } catch (ExprException e) {
            throw new IllegalArgumentException(
                    "rule "
                            + rule.id()
                            + ", step "
                            + rule.steps().get(step).name()
                            + ": "
                            + e.message(),
                    e);
        }
    }

    private RuleExpression compileSummary(String source) {
        try {
            return RuleExpression.compile(source, RuleScopes.summary(rule));
        } catch (ExprException e) {
            throw new IllegalArgumentException(
                    "rule " + rule.id() + ", summary {" + source + "}: " + e.message(), e);
        }
    }
}
