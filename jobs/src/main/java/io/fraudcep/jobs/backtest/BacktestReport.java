package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a backtest tells a person: the run (input, speed, dead letters, late events), the alerts per
 * rule, with labels their score, with what-if rules the comparison, and the alerts over time.
 * Shadow rules' alerts are counted per rule on their own and never enter the score, the comparison
 * or the timeline, which are about the alerts a consumer of {@code fraud-alerts} would see.
 * Rendered as a text table ({@link ReportText}), JSON ({@link ReportJson}) and a self-contained
 * HTML page ({@link ReportHtml}).
 *
 * @param run the run's figures
 * @param rows one row per rule, in rule file order
 * @param score the score against labels, or null without labels
 * @param whatIf the comparison with the what-if rules (B), or null without them
 * @param timeline alerts over time per rule
 */
public record BacktestReport(
        Run run,
        List<PatternRow> rows,
        Scorecard score,
        WhatIfComparison whatIf,
        AlertTimeline timeline) {

    /** Number of example alert ids per what-if category. */
    public static final int EXAMPLES = 5;

    /**
     * The run's figures.
     *
     * @param input what was replayed
     * @param parallelism the job's parallelism
     * @param patterns the rules in force (file or defaults, and version)
     * @param whatIfPatterns the what-if rules, or null
     * @param labels the labels file, or null
     * @param generatedAt wall-clock time of the report
     * @param eventsRead records read (accepted and dead letters)
     * @param elapsed wall-clock time of the job, from submission to the last output
     * @param alerts alerts of the active rules in force
     * @param shadowAlerts alerts of the shadow rules in force
     * @param deadLetters records that broke the contract
     * @param lateEvents events behind the watermark
     * @param duplicates duplicates dropped
     */
    public record Run(
            String input,
            int parallelism,
            String patterns,
            String whatIfPatterns,
            String labels,
            Instant generatedAt,
            long eventsRead,
            Duration elapsed,
            long alerts,
            long shadowAlerts,
            long deadLetters,
            long lateEvents,
            long duplicates) {

        public double eventsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : eventsRead / s;
        }
    }

    /**
     * The outcome of one rule set over the replay.
     *
     * @param rules the rule set
     * @param alerts the alerts of its active rules
     * @param shadowAlerts the alerts of its shadow rules
     */
    public record Outcome(
            RuleSet rules, Collection<Alert> alerts, Collection<Alert> shadowAlerts) {}

    /**
     * A rule of the report.
     *
     * @param patternId the rule id
     * @param mode its mode in the rules in force (A), or null if A has no such rule
     * @param version its patternVersion in A, or null if A has no such rule
     * @param whatIfMode its mode in B, or null without a what-if or if B has no such rule
     * @param whatIfVersion its patternVersion in B, or null likewise
     * @param alerts alerts of A (active)
     * @param shadowAlerts alerts of A while in shadow mode
     * @param whatIfShadowAlerts alerts of B while in shadow mode
     */
    public record PatternRow(
            String patternId,
            RuleMode mode,
            String version,
            RuleMode whatIfMode,
            String whatIfVersion,
            int alerts,
            int shadowAlerts,
            int whatIfShadowAlerts) {

        /** Whether A evaluates the rule (active or shadow). */
        public boolean enabled() {
            return evaluated(mode);
        }

        /** Whether B evaluates the rule. */
        public boolean whatIfEnabled() {
            return evaluated(whatIfMode);
        }

        private static boolean evaluated(RuleMode m) {
            return m == RuleMode.ACTIVE || m == RuleMode.SHADOW;
        }
    }

    /**
     * Assembles a report.
     *
     * @param a the rules in force and their alerts
     * @param b the what-if rules and their alerts, or null
     * @param labels the labels, or null
     */
    public static BacktestReport of(
            Run run, Outcome a, Outcome b, Collection<LabelledScenario> labels) {
        List<String> order = new ArrayList<>();
        a.rules().rules().forEach(r -> order.add(r.id()));
        if (b != null) {
            b.rules().rules().forEach(r -> order.add(r.id()));
        }
        Set<String> seen = new HashSet<>();
        a.alerts().forEach(x -> seen.add(x.patternId()));
        a.shadowAlerts().forEach(x -> seen.add(x.patternId()));
        if (labels != null) {
            labels.forEach(l -> seen.add(l.patternId()));
        }
        List<String> ids = BacktestScorer.order(order, seen);
        Scorecard score = labels == null ? null : BacktestScorer.score(a.alerts(), labels, ids);
        WhatIfComparison whatIf =
                b == null ? null : WhatIfComparison.of(a.alerts(), b.alerts(), ids);
        Map<String, Integer> counts = perPattern(a.alerts());
        Map<String, Integer> shadow = perPattern(a.shadowAlerts());
        Map<String, Integer> whatIfShadow = b == null ? Map.of() : perPattern(b.shadowAlerts());
        List<PatternRow> rows = new ArrayList<>();
        for (String id : ids) {
            Rule ra = a.rules().rule(id);
            Rule rb = b == null ? null : b.rules().rule(id);
            rows.add(
                    new PatternRow(
                            id,
                            ra == null ? null : ra.mode(),
                            ra == null ? null : RuleCanonical.patternVersion(ra),
                            rb == null ? null : rb.mode(),
                            rb == null ? null : RuleCanonical.patternVersion(rb),
                            counts.getOrDefault(id, 0),
                            shadow.getOrDefault(id, 0),
                            whatIfShadow.getOrDefault(id, 0)));
        }
        return new BacktestReport(
                run,
                List.copyOf(rows),
                score,
                whatIf,
                AlertTimeline.of(ids, a.alerts(), score, whatIf));
    }

    /** Whether any rule of A or B runs in shadow mode: the report then shows their columns. */
    public boolean hasShadowRules() {
        for (PatternRow r : rows) {
            if (r.mode() == RuleMode.SHADOW || r.whatIfMode() == RuleMode.SHADOW) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> perPattern(Collection<Alert> alerts) {
        Map<String, Integer> counts = new HashMap<>();
        alerts.forEach(x -> counts.merge(x.patternId(), 1, Integer::sum));
        return counts;
    }
}
