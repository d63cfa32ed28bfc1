package io.fraudcep.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and validated rule file (rules.md): its version and its rules in file order.
 *
 * @param version the file's {@code version}, part of every alert's {@code patternVersion}
 * @param rules every rule of the file, disabled ones included
 */
public record RuleSet(String version, List<Rule> rules) implements Serializable {

    public RuleSet {
        rules = List.copyOf(rules);
    }

    /** The rules that are evaluated: active and shadow ones, in file order. */
    public List<Rule> evaluatedRules() {
        List<Rule> evaluated = new ArrayList<>();
        for (Rule r : rules) {
            if (r.mode() != RuleMode.DISABLED) {
                evaluated.add(r);
            }
        }
        return evaluated;
    }

    /**
     * The same file with only the given rules (in file order), each evaluated in the mode the file
     * gives it, or active if the file disables it: for tests and for running a single rule.
     */
    public RuleSet only(String... ids) {
        List<String> wanted = List.of(ids);
        List<Rule> kept = new ArrayList<>();
        for (Rule r : rules) {
            if (wanted.contains(r.id())) {
                kept.add(r.mode() == RuleMode.DISABLED ? r.withMode(RuleMode.ACTIVE) : r);
            }
        }
        if (kept.size() != wanted.size()) {
            throw new IllegalArgumentException("no rule " + wanted + " in this file");
        }
        return new RuleSet(version, kept);
    }

    /** The rule with this id, or null. */
    public Rule rule(String id) {
        for (Rule r : rules) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
