package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A naive reference interpreter of the rule language (rules.md, alerts.md and the lead's binding
 * semantics), the oracle of differential tests of the rule engine; it shares no matching code with
 * the engine (only the rule model and the expression evaluator).
 *
 * <p>Per user: the accepted events (de-duplicated, in event time then eventId order) with their
 * facts; for every accepted event e and every evaluated (active or shadow) rule, the canonical
 * match whose last present event is e among the events in (t_e - W, t_e], found by exhaustive
 * search; a rule whose last step is absent triggers instead at t_e + for when that match also sees
 * no event satisfying the absent step up to then. Triggers then pass the per (user, rule)
 * suppression: one alerts only if no alert came before or it is at least W after the last alert's
 * detectedAt.
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
                    .thenComparing(RefRuleAlert::ruleId);

    private RuleReference() {}

    /**
     * The alerts the contract demands of the evaluated rules on this log (events of any users in
     * any order, duplicates included), sorted by (userId, detectedAt, ruleId).
     */
    public static List<RefRuleAlert> detect(
            RuleSet rules, List<UserEvent> log, Deadlines deadlines) {
        Instant until = Instant.MAX;
        if (deadlines == Deadlines.UP_TO_LAST_EVENT) {
            until = Instant.MIN;
            for (UserEvent e : log) {
                until = e.timestamp().isAfter(until) ? e.timestamp() : until;
            }
        }
        return detect(rules, log, until);
    }

    /**
     * As {@link #detect(RuleSet, List, Deadlines)}, firing exactly the deadlines at or before
     * {@code until}.
     */
    public static List<RefRuleAlert> detect(RuleSet rules, List<UserEvent> log, Instant until) {
        List<RuleSearch> searches = rules.evaluatedRules().stream().map(RuleSearch::of).toList();
        Map<String, List<UserEvent>> byUser = new TreeMap<>();
        for (UserEvent e : log) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<RefRuleAlert> alerts = new ArrayList<>();
        for (List<UserEvent> userEvents : byUser.values()) {
            List<EnrichedEvent> accepted = AcceptedLog.of(userEvents);
            for (RuleSearch search : searches) {
                alerts.addAll(alerts(search, accepted, until));
            }
        }
        alerts.sort(OUTPUT_ORDER);
        return List.copyOf(alerts);
    }

    /** One rule's alerts on one user's accepted events. */
    private static List<RefRuleAlert> alerts(
            RuleSearch search, List<EnrichedEvent> events, Instant until) {
        Rule rule = search.rule();
        Duration window = rule.window();
        Duration forDuration = search.forDuration();
        List<RefRuleAlert> alerts = new ArrayList<>();
        Instant lastAlert = null;
        int lo = 0;
        // Trigger instants never decrease with the index (t_e, or t_e + for), so index order is
        // trigger order; at equal instants the earlier event's trigger comes first.
        for (int end = 0; end < events.size(); end++) {
            Instant t = events.get(end).timestamp();
            while (!events.get(lo).timestamp().isAfter(t.minus(window))) {
                lo++;
            }
            Instant instant = forDuration == null ? t : t.plus(forDuration);
            if (instant.isAfter(until)) {
                continue;
            }
            int[] match = search.canonical(events, lo, end);
            if (match == null) {
                continue;
            }
            if (lastAlert != null && instant.isBefore(lastAlert.plus(window))) {
                continue;
            }
            lastAlert = instant;
            List<String> ids = new ArrayList<>(match.length);
            for (int k : match) {
                ids.add(events.get(k).eventId());
            }
            alerts.add(
                    new RefRuleAlert(
                            rule.id(),
                            events.get(end).userId(),
                            events.get(match[0]).timestamp(),
                            instant,
                            ids,
                            rule.mode()));
        }
        return alerts;
    }
}
