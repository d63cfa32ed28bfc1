package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A naive reference interpreter of the rule language (rules.md, alerts.md and the lead's binding
 * semantics), the oracle of differential tests of the rule engine; it shares no matching code with
 * the engine (only the rule model and the expression evaluator).
 *
 * <p>Per user: the accepted events (de-duplicated, in event time then eventId order) with their
 * facts. Per rule id, the versions of its history (the rule file's as version 0 from the beginning,
 * then the control topic's from their {@code effectiveFrom}) each propose triggers, a disabled
 * version none: a version whose last step is present proposes every accepted event e at which it is
 * the version in force and which ends its canonical match among the events in (t_e - W, t_e], W its
 * window, events from before its {@code effectiveFrom} included; a version whose last step is an
 * absence proposes, for every event p that ends such a match and sees no event satisfying the
 * absent step up to t_p + for, the deadline t_p + for, if it is the version in force at that
 * deadline. The rule id's triggers, in order of their instants (at one instant an event's trigger
 * before a deadline's, then in the order of their last present events), then pass the suppression
 * of the (user, rule id, mode): one alerts only if no alert of that mode came before or it is at
 * least W (of the version judging it) after the last such alert's detectedAt. Active and shadow
 * alerts never suppress each other.
 */
public final class RuleReference {

    /** Which deadlines of rules ending with an absence fire. */
    public enum Deadlines {
        /**
         * Only deadlines at or before the last event time of the whole input (a watermark that
         * stops at the last event).
         */
        UP_TO_LAST_EVENT,
        /** Every deadline (the final watermark of +infinity that ends a backtest). */
        ALL
    }

    private static final Comparator<RefRuleAlert> OUTPUT_ORDER =
            Comparator.comparing(RefRuleAlert::userId)
                    .thenComparing(RefRuleAlert::detectedAt)
                    .thenComparing(RefRuleAlert::ruleId)
                    .thenComparing(RefRuleAlert::mode);

    /**
     * The order of one rule id's triggers: by instant; at one instant an event's trigger before a
     * deadline's; then by the order of the last present event.
     */
    private static final Comparator<Trigger> TRIGGER_ORDER =
            Comparator.comparing(Trigger::instant)
                    .thenComparing(Trigger::deadline)
                    .thenComparingInt(Trigger::last);

    /** One version of a rule id with its search (null for a disabled version). */
    private record Judge(RuleVersion version, RuleSearch search, String patternVersion) {

        Rule rule() {
            return version.rule();
        }
    }

    /**
     * A trigger proposed by a version: its instant, whether it is a deadline, the index of its last
     * present event and the matched events' indices.
     */
    private record Trigger(Instant instant, boolean deadline, int last, Judge judge, int[] match) {}

    private RuleReference() {}

    /**
     * The alerts the contract demands of the evaluated rules of a rule file on this log (events of
     * any users in any order, duplicates included), sorted by (userId, detectedAt, ruleId): the
     * alerts of the history that holds the file alone.
     */
    public static List<RefRuleAlert> detect(
            RuleSet rules, List<UserEvent> log, Deadlines deadlines) {
        return detect(RuleHistory.of(rules), log, deadlines);
    }

    /**
     * As {@link #detect(RuleSet, List, Deadlines)}, firing exactly the deadlines at or before
     * {@code until}.
     */
    public static List<RefRuleAlert> detect(RuleSet rules, List<UserEvent> log, Instant until) {
        return detect(RuleHistory.of(rules), log, until);
    }

    /**
     * The alerts the contract demands of a rule history on this log (events of any users in any
     * order, duplicates included), active and shadow ones, sorted by (userId, detectedAt, ruleId,
     * mode).
     */
    public static List<RefRuleAlert> detect(
            RuleHistory history, List<UserEvent> log, Deadlines deadlines) {
        Instant until = Instant.MAX;
        if (deadlines == Deadlines.UP_TO_LAST_EVENT) {
            until = Instant.MIN;
            for (UserEvent e : log) {
                until = e.timestamp().isAfter(until) ? e.timestamp() : until;
            }
        }
        return detect(history, log, until);
    }

    /**
     * As {@link #detect(RuleHistory, List, Deadlines)}, keeping exactly the triggers (deadlines and
     * events) at or before {@code until}.
     */
    public static List<RefRuleAlert> detect(
            RuleHistory history, List<UserEvent> log, Instant until) {
        List<List<Judge>> lines = new ArrayList<>();
        for (String id : history.ruleIds()) {
            List<Judge> line = new ArrayList<>();
            for (RuleVersion v : history.timeline(id)) {
                boolean evaluated = v.rule().mode() != RuleMode.DISABLED;
                line.add(
                        new Judge(
                                v,
                                evaluated ? RuleSearch.of(v.rule()) : null,
                                RuleCanonical.patternVersion(v.rule())));
            }
            lines.add(line);
        }
        Map<String, List<UserEvent>> byUser = new TreeMap<>();
        for (UserEvent e : log) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<RefRuleAlert> alerts = new ArrayList<>();
        for (List<UserEvent> userEvents : byUser.values()) {
            List<EnrichedEvent> accepted = AcceptedLog.of(userEvents);
            for (List<Judge> line : lines) {
                alerts.addAll(alerts(line, accepted, until));
            }
        }
        alerts.sort(OUTPUT_ORDER);
        return List.copyOf(alerts);
    }

    /** One rule id's alerts on one user's accepted events. */
    private static List<RefRuleAlert> alerts(
            List<Judge> line, List<EnrichedEvent> events, Instant until) {
        List<Trigger> triggers = new ArrayList<>();
        for (Judge judge : line) {
            if (judge.search() != null) {
                triggers.addAll(triggers(judge, line, events, until));
            }
        }
        triggers.sort(TRIGGER_ORDER);
        List<RefRuleAlert> alerts = new ArrayList<>();
        Map<RuleMode, Instant> lastAlert = new EnumMap<>(RuleMode.class);
        for (Trigger trigger : triggers) {
            Rule rule = trigger.judge().rule();
            Instant last = lastAlert.get(rule.mode());
            if (last != null && trigger.instant().isBefore(last.plus(rule.window()))) {
                continue;
            }
            lastAlert.put(rule.mode(), trigger.instant());
            List<String> ids = new ArrayList<>(trigger.match().length);
            for (int k : trigger.match()) {
                ids.add(events.get(k).eventId());
            }
            alerts.add(
                    new RefRuleAlert(
                            rule.id(),
                            events.get(trigger.last()).userId(),
                            events.get(trigger.match()[0]).timestamp(),
                            trigger.instant(),
                            ids,
                            rule.mode(),
                            trigger.judge().patternVersion()));
        }
        return alerts;
    }

    /**
     * The triggers one version proposes: at every event (or its deadline, for a version ending with
     * an absence) where it is the version in force and its canonical match ends.
     */
    private static List<Trigger> triggers(
            Judge judge, List<Judge> line, List<EnrichedEvent> events, Instant until) {
        RuleSearch search = judge.search();
        Duration window = judge.rule().window();
        Duration forDuration = search.forDuration();
        List<Trigger> triggers = new ArrayList<>();
        int lo = 0;
        for (int end = 0; end < events.size(); end++) {
            Instant t = events.get(end).timestamp();
            while (!events.get(lo).timestamp().isAfter(t.minus(window))) {
                lo++;
            }
            Instant instant = forDuration == null ? t : t.plus(forDuration);
            if (instant.isAfter(until) || inForce(line, instant) != judge) {
                continue;
            }
            int[] match = search.canonical(events, lo, end);
            if (match != null) {
                triggers.add(new Trigger(instant, forDuration != null, end, judge, match));
            }
        }
        return triggers;
    }

    /**
     * The version in force at {@code t}: the latest {@code effectiveFrom} at or before it, the
     * later in timeline order (the higher version) at a tie; null before the first.
     */
    private static Judge inForce(List<Judge> line, Instant t) {
        Judge found = null;
        for (Judge j : line) {
            if (j.version().effectiveFrom().isAfter(t)) {
                break;
            }
            found = j;
        }
        return found;
    }
}
