package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import io.fraudcep.patterns.PatternCatalogue;
import io.fraudcep.patterns.PatternConfig;
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
 * pattern, with labels their score, with a what-if configuration the comparison, and the alerts
 * over time. Rendered as a text table ({@link ReportText}), JSON ({@link ReportJson}) and a
 * self-contained HTML page ({@link ReportHtml}).
 *
 * @param run the run's figures
 * @param rows one row per pattern, in catalogue order
 * @param score the score against labels, or null without labels
 * @param whatIf the comparison with configuration B, or null without one
 * @param timeline alerts over time per pattern
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
     * @param patterns the patterns in force (file or defaults, and version)
     * @param whatIfPatterns the what-if configuration, or null
     * @param labels the labels file, or null
     * @param generatedAt wall-clock time of the report
     * @param eventsRead records read (accepted and dead letters)
     * @param elapsed wall-clock time of the job, from submission to the last output
     * @param alerts alerts of the patterns in force
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
            long deadLetters,
            long lateEvents,
            long duplicates) {

        public double eventsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : eventsRead / s;
        }
    }

    /**
     * A pattern of the report.
     *
     * @param patternId the pattern
     * @param enabled whether configuration A runs it
     * @param version its patternVersion in A (null if not configured)
     * @param whatIfVersion its patternVersion in B (null without a what-if or if B does not run it)
     * @param alerts alerts of A
     */
    public record PatternRow(
            String patternId, boolean enabled, String version, String whatIfVersion, int alerts) {}

    /**
     * Assembles a report.
     *
     * @param catalogue configuration A
     * @param whatIfCatalogue configuration B, or null
     * @param alerts A's alerts
     * @param whatIfAlerts B's alerts (ignored without B)
     * @param labels the labels, or null
     */
    public static BacktestReport of(
            Run run,
            PatternCatalogue catalogue,
            PatternCatalogue whatIfCatalogue,
            Collection<Alert> alerts,
            Collection<Alert> whatIfAlerts,
            Collection<LabelledScenario> labels) {
        List<String> order = new ArrayList<>();
        catalogue.configs().forEach(c -> order.add(c.id()));
        if (whatIfCatalogue != null) {
            whatIfCatalogue.configs().forEach(c -> order.add(c.id()));
        }
        Set<String> seen = new HashSet<>();
        alerts.forEach(a -> seen.add(a.patternId()));
        if (labels != null) {
            labels.forEach(l -> seen.add(l.patternId()));
        }
        List<String> ids = BacktestScorer.order(order, seen);
        Scorecard score = labels == null ? null : BacktestScorer.score(alerts, labels, ids);
        WhatIfComparison whatIf =
                whatIfCatalogue == null ? null : WhatIfComparison.of(alerts, whatIfAlerts, ids);
        Map<String, Integer> counts = new HashMap<>();
        alerts.forEach(a -> counts.merge(a.patternId(), 1, Integer::sum));
        List<PatternRow> rows = new ArrayList<>();
        for (String id : ids) {
            PatternConfig a = config(catalogue, id);
            PatternConfig b = whatIfCatalogue == null ? null : config(whatIfCatalogue, id);
            rows.add(
                    new PatternRow(
                            id,
                            a != null && a.enabled(),
                            a == null ? null : a.version(),
                            b == null || !b.enabled() ? null : b.version(),
                            counts.getOrDefault(id, 0)));
        }
        return new BacktestReport(
                run,
                List.copyOf(rows),
                score,
                whatIf,
                AlertTimeline.of(ids, alerts, score, whatIf));
    }

    private static PatternConfig config(PatternCatalogue catalogue, String id) {
        for (PatternConfig c : catalogue.configs()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }
}
