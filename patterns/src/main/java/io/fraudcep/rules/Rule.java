package io.fraudcep.rules;

import io.fraudcep.alert.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validated rule of a rule file (rules.md).
 *
 * @param id {@code [A-Z][A-Z0-9_]{2,63}}, unique in its file
 * @param description free text, or null
 * @param severity the alert's severity
 * @param mode active, shadow or disabled
 * @param window first to last matched (present) event less than this apart; the suppression period
 * @param params the named thresholds in file order, referenced as {@code $name}
 * @param steps the steps in order (at least one present step)
 * @param summary the alert sentence's template, or null for a generated one
 * @param version the file's version (or, on the control topic, the rule's version), for the alert's
 *     {@code patternVersion}
 */
public record Rule(
        String id,
        String description,
        Severity severity,
        RuleMode mode,
        Duration window,
        Map<String, ParamValue> params,
        List<Step> steps,
        String summary,
        String version)
        implements Serializable {

    public Rule {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        steps = List.copyOf(steps);
    }

    /** This rule in another mode. */
    public Rule withMode(RuleMode newMode) {
        return new Rule(
                id, description, severity, newMode, window, params, steps, summary, version);
    }

    /**
     * This rule with one parameter's value replaced (the name must be declared; a {@code times}
     * written with it follows). Expressions read parameters when they are compiled, from the rule.
     */
    public Rule withParam(String name, ParamValue value) {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException("rule " + id + " has no parameter " + name);
        }
        Map<String, ParamValue> changed = new LinkedHashMap<>(params);
        changed.put(name, value);
        List<Step> resolved = new ArrayList<>();
        for (Step s : steps) {
            resolved.add(
                    new Step(
                            s.name(),
                            s.types(),
                            s.where(),
                            s.times().resolve(changed),
                            s.having(),
                            s.strict(),
                            s.absent(),
                            s.forDuration()));
        }
        return new Rule(
                id, description, severity, mode, window, changed, resolved, summary, version);
    }

    /** The step with this name, or null. */
    public Step step(String name) {
        for (Step s : steps) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** True if the last step is an absence with {@code for}: the rule triggers at a deadline. */
    public boolean endsWithAbsence() {
        return steps.get(steps.size() - 1).absent();
    }
}
