package io.fraudcep.rules;

import io.fraudcep.rules.expr.ExprScope;
import io.fraudcep.rules.expr.ExprScope.StepShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each expression of a rule may name (rules.md): a step's {@code where} sees the present steps
 * before it and its own event; a {@code having} sees the present steps before it and its own
 * events; a summary sees every present step. One definition for the loader's checks and the engine.
 */
public final class RuleScopes {

    private RuleScopes() {}

    /** The scope of the {@code where} of step {@code index} of {@code rule}. */
    public static ExprScope where(Rule rule, int index) {
        Step own = rule.steps().get(index);
        Map<String, StepShape> steps = earlierPresentSteps(rule, index);
        steps.put(own.name(), new StepShape(own.types(), false));
        return new ExprScope(
                rule.params(), steps, own.name(), ExprScope.Kind.WHERE, stepNames(rule));
    }

    /** The scope of the {@code having} of step {@code index} of {@code rule}. */
    public static ExprScope having(Rule rule, int index) {
        Step own = rule.steps().get(index);
        Map<String, StepShape> steps = earlierPresentSteps(rule, index);
        steps.put(own.name(), new StepShape(own.types(), true));
        return new ExprScope(
                rule.params(), steps, own.name(), ExprScope.Kind.HAVING, stepNames(rule));
    }

    /** The scope of the placeholders of {@code rule}'s summary. */
    public static ExprScope summary(Rule rule) {
        Map<String, StepShape> steps = earlierPresentSteps(rule, rule.steps().size());
        return new ExprScope(rule.params(), steps, null, ExprScope.Kind.SUMMARY, stepNames(rule));
    }

    private static List<String> stepNames(Rule rule) {
        return rule.steps().stream().map(Step::name).toList();
    }

    private static Map<String, StepShape> earlierPresentSteps(Rule rule, int before) {
        Map<String, StepShape> steps = new LinkedHashMap<>();
        for (int i = 0; i < before; i++) {
            Step s = rule.steps().get(i);
            if (!s.absent()) {
                steps.put(s.name(), new StepShape(s.types(), s.repeated()));
            }
        }
        return steps;
    }
}
