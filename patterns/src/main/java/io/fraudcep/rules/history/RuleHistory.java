package io.fraudcep.rules.history;

import io.fraudcep.rules.Durations;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.Step;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules over event time: the rule file's rules, in force from the beginning, and the versions
 * of the control topic, each in force from its (applied) {@code effectiveFrom} until the next
 * version of its id takes effect (rules.md). The version in force at an instant is the one with the
 * latest {@code effectiveFrom} at or before it, the higher version winning a tie.
 *
 * @param base the rule file's rules (version 0 of each id)
 * @param versions the control topic's versions, in any order
 */
public record RuleHistory(RuleSet base, List<RuleVersion> versions) implements Serializable {

    /** Order of versions of one id on the event-time axis. */
    public static final Comparator<RuleVersion> TIMELINE_ORDER =
            Comparator.comparing(RuleVersion::effectiveFrom)
                    .thenComparingLong(RuleVersion::ruleVersion);

    /** How far back a rule version may look when a job does not say: 24 hours. */
    public static final Duration DEFAULT_HORIZON = Duration.ofHours(24);

    public RuleHistory {
        versions = List.copyOf(versions);
    }

    /**
     * Why {@code rule} cannot run under a look-back {@code horizon}, or null if it can: its window
     * plus its trailing absence period must fit in it (a job keeps every event that long, so that a
     * version arriving while it runs judges whole windows).
     */
    public static String horizonProblem(Rule rule, Duration horizon) {
        Duration needed = rule.window();
        Step last = rule.steps().get(rule.steps().size() - 1);
        if (last.absent() && last.forDuration() != null) {
            needed = needed.plus(last.forDuration());
        }
        if (needed.compareTo(horizon) <= 0) {
            return null;
        }
        return "window "
                + Durations.describe(rule.window())
                + (needed.equals(rule.window())
                        ? ""
                        : " plus absence " + Durations.describe(last.forDuration()))
                + " needs more history than the look-back horizon of "
                + Durations.describe(horizon)
                + " (--rule-horizon)";
    }

    /** The rule file alone, with no version from the topic. */
    public static RuleHistory of(RuleSet base) {
        return new RuleHistory(base, List.of());
    }

    /** This history and one more version. */
    public RuleHistory with(RuleVersion version) {
        List<RuleVersion> more = new ArrayList<>(versions);
        more.add(version);
        return new RuleHistory(base, more);
    }

    /** Every rule id: the file's, in file order, then the topic's in order of appearance. */
    public List<String> ruleIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Rule r : base.rules()) {
            ids.add(r.id());
        }
        for (RuleVersion v : versions) {
            ids.add(v.ruleId());
        }
        return List.copyOf(ids);
    }

    /**
     * The versions of one id in timeline order: the file's (from {@link Instant#MIN}) if it has
     * one, then the topic's.
     */
    public List<RuleVersion> timeline(String ruleId) {
        List<RuleVersion> line = new ArrayList<>();
        Rule fromFile = base.rule(ruleId);
        if (fromFile != null) {
            line.add(new RuleVersion(ruleId, 0, Instant.MIN, fromFile));
        }
        for (RuleVersion v : versions) {
            if (v.ruleId().equals(ruleId)) {
                line.add(v);
            }
        }
        line.sort(TIMELINE_ORDER);
        return line;
    }

    /**
     * The version of {@code ruleId} in force at {@code t}, or null if it has none yet. A disabled
     * version is returned as such: the rule judges nothing while it is in force.
     */
    public RuleVersion inForce(String ruleId, Instant t) {
        RuleVersion found = null;
        for (RuleVersion v : timeline(ruleId)) {
            if (v.effectiveFrom().isAfter(t)) {
                break;
            }
            found = v;
        }
        return found;
    }

    /** Whether some version of {@code ruleId} is evaluated (active or shadow). */
    public boolean evaluates(String ruleId) {
        for (RuleVersion v : timeline(ruleId)) {
            if (v.rule().mode() != RuleMode.DISABLED) {
                return true;
            }
        }
        return false;
    }
}
