package io.fraudcep.jobs.backtest;

import io.fraudcep.model.EventTime;
import io.fraudcep.rules.RuleMode;
import java.util.List;
import java.util.Locale;

/** The report as the plain-text tables {@code bin/fraud backtest} prints. */
public final class ReportText {

    private ReportText() {}

    public static String render(BacktestReport report) {
        StringBuilder b = new StringBuilder();
        BacktestReport.Run run = report.run();
        b.append("Backtest of ").append(run.input()).append('\n');
        b.append(
                f(
                        "  parallelism %d, rules %s%s%n",
                        run.parallelism(),
                        run.patterns(),
                        run.labels() == null ? "" : ", labels " + run.labels()));
        b.append(
                f(
                        "  %,d events read in %.1f s: %,.0f events/s%n",
                        run.eventsRead(),
                        run.elapsed().toMillis() / 1000.0,
                        run.eventsPerSecond()));
        b.append(
                f(
                        "  %,d alerts, %,d shadow alerts, %,d dead letters, %,d late events,"
                                + " %,d duplicates dropped%n%n",
                        run.alerts(),
                        run.shadowAlerts(),
                        run.deadLetters(),
                        run.lateEvents(),
                        run.duplicates()));
        if (report.score() == null) {
            b.append(f("%-22s %8s%n", "pattern", "alerts"));
            int total = 0;
            for (BacktestReport.PatternRow r : report.rows()) {
                b.append(f("%-22s %8d%n", name(r), r.alerts()));
                total += r.alerts();
            }
            b.append(f("%-22s %8d%n", "all", total));
        } else {
            b.append(
                    f(
                            "%-22s %9s %7s %6s %6s %7s %10s %7s%n",
                            "pattern",
                            "positives",
                            "alerts",
                            "TP",
                            "FP",
                            "misses",
                            "precision",
                            "recall"));
            for (BacktestReport.PatternRow r : report.rows()) {
                scoreLine(b, name(r), report.score().of(r.patternId()));
            }
            scoreLine(b, "all", report.score().total());
        }
        if (report.hasShadowRules()) {
            shadow(b, report);
        }
        if (report.whatIf() != null) {
            whatIf(b, report);
        }
        return b.toString();
    }

    private static void scoreLine(StringBuilder b, String name, PatternScore s) {
        b.append(
                f(
                        "%-22s %9d %7d %6d %6d %7d %10s %7s%n",
                        name,
                        s.positives(),
                        s.alerts(),
                        s.truePositives(),
                        s.falsePositives(),
                        s.misses(),
                        percent(s.precision()),
                        percent(s.recall())));
    }

    /** The shadow rules' alerts, apart: they are neither scored nor compared. */
    private static void shadow(StringBuilder b, BacktestReport report) {
        boolean whatIf = report.whatIf() != null;
        b.append(
                f(
                        "%nShadow alerts (topic fraud-alerts-shadow; not scored, not compared)%n"
                                + "%-22s %8s%s%n",
                        "pattern", whatIf ? "A" : "alerts", whatIf ? f(" %8s", "B") : ""));
        for (BacktestReport.PatternRow r : report.rows()) {
            if (r.mode() == RuleMode.SHADOW || (whatIf && r.whatIfMode() == RuleMode.SHADOW)) {
                b.append(
                        f(
                                "%-22s %8s%s%n",
                                r.patternId(),
                                r.mode() == RuleMode.SHADOW ? r.shadowAlerts() : "-",
                                whatIf
                                        ? f(
                                                " %8s",
                                                r.whatIfMode() == RuleMode.SHADOW
                                                        ? r.whatIfShadowAlerts()
                                                        : "-")
                                        : ""));
            }
        }
    }

    private static void whatIf(StringBuilder b, BacktestReport report) {
        b.append(
                f(
                        "%nWhat-if: A = %s, B = %s%n"
                                + "(the same alert: same user, pattern and detectedAt; shifted: the"
                                + " same user and pattern sharing matched events, detected at"
                                + " another time)%n",
                        report.run().patterns(), report.run().whatIfPatterns()));
        b.append(
                f(
                        "%-22s %-25s %8s %8s %6s %7s %6s %6s%n",
                        "pattern",
                        "version A -> B",
                        "alerts A",
                        "alerts B",
                        "both",
                        "shifted",
                        "only A",
                        "only B"));
        for (BacktestReport.PatternRow r : report.rows()) {
            PatternDiff d = report.whatIf().of(r.patternId());
            b.append(diffLine(r.patternId(), versions(r), d));
        }
        b.append(diffLine("all", "", report.whatIf().total()));
        boolean header = false;
        for (PatternDiff d : report.whatIf().patterns()) {
            if (!d.differs()) {
                continue;
            }
            if (!header) {
                b.append(f("Examples (up to %d per kind):%n", BacktestReport.EXAMPLES));
                header = true;
            }
            examples(b, d.patternId(), "only in A", d.onlyA());
            examples(b, d.patternId(), "only in B", d.onlyB());
            for (int i = 0; i < Math.min(BacktestReport.EXAMPLES, d.shifted().size()); i++) {
                PatternDiff.Shift s = d.shifted().get(i);
                b.append(
                        f(
                                "  %s shifted: %s %s at %s (A) -> %s at %s (B)%n",
                                d.patternId(),
                                s.a().userId(),
                                s.a().alertId(),
                                EventTime.format(s.a().detectedAt()),
                                s.b().alertId(),
                                EventTime.format(s.b().detectedAt())));
            }
        }
        if (!header) {
            b.append("B raises exactly the alerts of A.\n");
        }
    }

    private static String diffLine(String name, String versions, PatternDiff d) {
        return f(
                "%-22s %-25s %8d %8d %6d %7d %6d %6d%n",
                name,
                versions,
                d.alertsA(),
                d.alertsB(),
                d.both().size(),
                d.shifted().size(),
                d.onlyA().size(),
                d.onlyB().size());
    }

    private static void examples(
            StringBuilder b, String pattern, String kind, List<AlertRef> refs) {
        for (int i = 0; i < Math.min(BacktestReport.EXAMPLES, refs.size()); i++) {
            AlertRef r = refs.get(i);
            b.append(
                    f(
                            "  %s %s: %s %s at %s%n",
                            pattern,
                            kind,
                            r.userId(),
                            r.alertId(),
                            EventTime.format(r.detectedAt())));
        }
    }

    static String versions(BacktestReport.PatternRow r) {
        String a = version(r.mode(), r.version());
        String b = version(r.whatIfMode(), r.whatIfVersion());
        return a.equals(b) ? a + " (same)" : a + " -> " + b;
    }

    /** A rule's version as the what-if table shows it: "off", "2-ab12..", "2-ab12.. shadow". */
    private static String version(RuleMode mode, String version) {
        if (mode == null || mode == RuleMode.DISABLED) {
            return "off";
        }
        return mode == RuleMode.SHADOW ? version + " shadow" : version;
    }

    /** The rule's id, tagged "(shadow)" or "(off)" unless it is active in A. */
    private static String name(BacktestReport.PatternRow r) {
        if (r.mode() == RuleMode.ACTIVE) {
            return r.patternId();
        }
        return r.patternId() + (r.mode() == RuleMode.SHADOW ? " (shadow)" : " (off)");
    }

    static String percent(Double ratio) {
        return ratio == null ? "-" : f("%.1f%%", ratio * 100);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
