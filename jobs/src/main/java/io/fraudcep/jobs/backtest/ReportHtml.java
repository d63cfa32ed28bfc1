package io.fraudcep.jobs.backtest;

import io.fraudcep.model.EventTime;
import io.fraudcep.rules.RuleMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: inline CSS and SVG only (no script, font or image is
 * fetched), so it opens from a file, a mail attachment or a CI artefact alike.
 */
public final class ReportHtml {

    private static final String GREEN = "#2b8a3e";
    private static final String RED = "#e03131";
    private static final String BLUE = "#1c7ed6";
    private static final String ORANGE = "#f08c00";
    private static final String GREY = "#adb5bd";

    private static final int CHART_W = 520;
    private static final int CHART_H = 150;
    private static final int LEFT = 34;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 34;

    private ReportHtml() {}

    public static String render(BacktestReport report) {
        StringBuilder b = new StringBuilder(32 * 1024);
        BacktestReport.Run run = report.run();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\"")
                .append(" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Backtest report</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n");
        b.append("<header><h1>Backtest report</h1><p class=\"sub\">")
                .append(esc(run.input()))
                .append("</p></header>\n");
        kpis(b, report);
        patternTable(b, report);
        charts(b, report);
        if (report.whatIf() != null) {
            whatIf(b, report);
        }
        b.append("<footer><p>Parallelism ")
                .append(run.parallelism())
                .append(" · rules ")
                .append(esc(run.patterns()));
        if (run.labels() != null) {
            b.append(" · labels ").append(esc(run.labels()));
        }
        b.append(" · report generated ")
                .append(esc(EventTime.format(run.generatedAt())))
                .append(". Alerts are counted at their <code>detectedAt</code> (event time, UTC")
                .append(" days).</p></footer>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void kpis(StringBuilder b, BacktestReport report) {
        BacktestReport.Run run = report.run();
        b.append("<section class=\"kpis\">\n");
        kpi(b, "Events read", f("%,d", run.eventsRead()), null);
        kpi(
                b,
                "Events per second",
                f("%,.0f", run.eventsPerSecond()),
                f("%.1f s wall clock", run.elapsed().toMillis() / 1000.0));
        kpi(b, "Alerts", f("%,d", run.alerts()), null);
        if (report.hasShadowRules()) {
            kpi(b, "Shadow alerts", f("%,d", run.shadowAlerts()), "not scored, not compared");
        }
        if (report.score() != null) {
            PatternScore t = report.score().total();
            kpi(
                    b,
                    "Precision",
                    ReportText.percent(t.precision()),
                    f("%,d of %,d alerts labelled", t.truePositives(), t.alerts()));
            kpi(
                    b,
                    "Recall",
                    ReportText.percent(t.recall()),
                    f("%,d of %,d positives found", t.truePositives(), t.positives()));
        }
        kpi(b, "Dead letters", f("%,d", run.deadLetters()), null);
        kpi(b, "Late events", f("%,d", run.lateEvents()), null);
        kpi(b, "Duplicates dropped", f("%,d", run.duplicates()), null);
        b.append("</section>\n");
    }

    private static void kpi(StringBuilder b, String label, String value, String note) {
        b.append("<div class=\"kpi\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\">")
                .append(esc(value))
                .append("</div>");
        if (note != null) {
            b.append("<div class=\"note\">").append(esc(note)).append("</div>");
        }
        b.append("</div>\n");
    }

    private static void patternTable(StringBuilder b, BacktestReport report) {
        Scorecard score = report.score();
        boolean shadow = report.hasShadowRules();
        b.append("<section><h2>Alerts per rule</h2>\n<table>\n<thead><tr><th>pattern</th>")
                .append("<th>version</th>");
        if (score != null) {
            b.append("<th class=\"n\">positives</th><th class=\"n\">alerts</th>")
                    .append("<th class=\"n\">true pos.</th><th class=\"n\">false pos.</th>")
                    .append("<th class=\"n\">misses</th><th>precision</th><th>recall</th>");
        } else {
            b.append("<th class=\"n\">alerts</th>");
        }
        if (shadow) {
            b.append("<th class=\"n\">shadow alerts</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (BacktestReport.PatternRow r : report.rows()) {
            b.append(r.mode() == RuleMode.ACTIVE ? "<tr>" : "<tr class=\"off\">")
                    .append("<td><code>")
                    .append(esc(r.patternId()))
                    .append("</code>")
                    .append(tag(r.mode()))
                    .append("</td><td><code>")
                    .append(esc(r.version() == null ? "-" : r.version()))
                    .append("</code></td>");
            if (score != null) {
                scoreCells(b, score.of(r.patternId()));
            } else {
                b.append("<td class=\"n\">").append(r.alerts()).append("</td>");
            }
            if (shadow) {
                b.append(
                        r.mode() == RuleMode.SHADOW
                                ? "<td class=\"n\">" + r.shadowAlerts() + "</td>"
                                : "<td class=\"n muted\">-</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n");
        if (score != null) {
            b.append("<tfoot><tr><td>all</td><td></td>");
            scoreCells(b, score.total());
            if (shadow) {
                b.append("<td class=\"n\">").append(report.run().shadowAlerts()).append("</td>");
            }
            b.append("</tr></tfoot>\n");
        }
        b.append("</table>\n");
        if (score != null) {
            b.append("<p class=\"hint\">A true positive matches a positive label on user,")
                    .append(" pattern, detection time and triggering event.</p>\n");
        }
        if (shadow) {
            b.append("<p class=\"hint\">Shadow rules write their alerts to")
                    .append(" <code>fraud-alerts-shadow</code>: counted here, never scored or")
                    .append(" compared.</p>\n");
        }
        b.append("</section>\n");
    }

    /** The tag after a rule's id: none for an active rule, "shadow" or "off" otherwise. */
    private static String tag(RuleMode mode) {
        if (mode == RuleMode.ACTIVE) {
            return "";
        }
        return " <span class=\"tag\">" + (mode == RuleMode.SHADOW ? "shadow" : "off") + "</span>";
    }

    private static void scoreCells(StringBuilder b, PatternScore s) {
        b.append("<td class=\"n\">")
                .append(s.positives())
                .append("</td>")
                .append("<td class=\"n\">")
                .append(s.alerts())
                .append("</td>")
                .append("<td class=\"n\">")
                .append(s.truePositives())
                .append("</td>")
                .append("<td class=\"n")
                .append(s.falsePositives() > 0 ? " bad" : "")
                .append("\">")
                .append(s.falsePositives())
                .append("</td>")
                .append("<td class=\"n")
                .append(s.misses() > 0 ? " bad" : "")
                .append("\">")
                .append(s.misses())
                .append("</td>");
        meter(b, s.precision());
        meter(b, s.recall());
    }

    private static void meter(StringBuilder b, Double ratio) {
        if (ratio == null) {
            b.append("<td class=\"muted\">-</td>");
            return;
        }
        b.append("<td><span class=\"meter\"><span style=\"width:")
                .append(f("%.1f", ratio * 100))
                .append("%\"></span></span> ")
                .append(ReportText.percent(ratio))
                .append("</td>");
    }

    private static void charts(StringBuilder b, BacktestReport report) {
        AlertTimeline t = report.timeline();
        b.append("<section><h2>Alerts over time</h2>\n");
        if (t.buckets() == 0) {
            b.append("<p class=\"hint\">No alerts.</p></section>\n");
            return;
        }
        boolean labelled = report.score() != null;
        b.append("<p class=\"legend\">");
        if (labelled) {
            legend(b, GREEN, "true positive");
            legend(b, RED, "false positive");
            b.append("<span><svg width=\"12\" height=\"12\">")
                    .append("<path d=\"M6 1 L11 11 L1 11 Z\" fill=\"")
                    .append(ORANGE)
                    .append("\"/></svg> missed positive</span>");
        } else {
            legend(b, BLUE, "alerts");
        }
        b.append("<span class=\"muted\">one bar per ")
                .append(t.bucketDays() == 1 ? "day" : t.bucketDays() + " days")
                .append(" (UTC), by detectedAt</span></p>\n<div class=\"grid\">\n");
        for (BacktestReport.PatternRow r : report.rows()) {
            AlertTimeline.Series s = t.series().get(r.patternId());
            int alerts = s.total(s.alerts());
            int missed = s.total(s.missed());
            if (r.mode() != RuleMode.ACTIVE && alerts == 0 && missed == 0) {
                continue;
            }
            b.append("<figure><figcaption><code>").append(esc(r.patternId())).append("</code> ");
            if (labelled) {
                int tp = s.total(s.truePositives());
                b.append(
                        f(
                                "%,d alerts: %,d true, %,d false; %,d missed",
                                alerts, tp, alerts - tp, missed));
            } else {
                b.append(f("%,d alerts", alerts));
            }
            b.append("</figcaption>\n");
            chart(b, t, s, labelled, false);
            b.append("</figure>\n");
        }
        b.append("</div>\n</section>\n");
    }

    private static void legend(StringBuilder b, String color, String label) {
        b.append("<span><i style=\"background:")
                .append(color)
                .append("\"></i>")
                .append(esc(label))
                .append("</span>");
    }

    /**
     * One pattern's bars. Normal: true (green) under false (red) positives, or all alerts (blue)
     * without labels, missed labels as triangles under the axis. What-if: the alerts of both A and
     * B (grey), only A (orange) and only B (blue), stacked.
     */
    private static void chart(
            StringBuilder b,
            AlertTimeline t,
            AlertTimeline.Series s,
            boolean labelled,
            boolean whatIf) {
        int n = t.buckets();
        int peak = 1;
        for (int i = 0; i < n; i++) {
            peak = Math.max(peak, s.alerts()[i] + (whatIf ? s.onlyB()[i] : 0));
        }
        double plotW = CHART_W - LEFT - RIGHT;
        double plotH = CHART_H - TOP - BOTTOM;
        double slot = plotW / n;
        double barW = Math.max(1, slot * 0.8);
        int baseY = TOP + (int) plotH;
        b.append(f("<svg viewBox=\"0 0 %d %d\" role=\"img\">", CHART_W, CHART_H));
        // Axis, the peak grid line and its label.
        b.append(
                f(
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>",
                        LEFT, baseY, CHART_W - RIGHT, baseY));
        b.append(
                f(
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"gridline\"/>",
                        LEFT, TOP, CHART_W - RIGHT, TOP));
        b.append(f("<text x=\"%d\" y=\"%d\" class=\"ylab\">%d</text>", LEFT - 4, TOP + 4, peak));
        b.append(f("<text x=\"%d\" y=\"%d\" class=\"ylab\">0</text>", LEFT - 4, baseY + 4));
        for (int i = 0; i < n; i++) {
            double x = LEFT + i * slot + (slot - barW) / 2;
            String day = label(t, i);
            double y = baseY;
            if (whatIf) {
                int common = s.alerts()[i] - s.onlyA()[i];
                y =
                        bar(
                                b,
                                x,
                                y,
                                barW,
                                common,
                                peak,
                                plotH,
                                GREY,
                                day + ": " + common + " in both A and B");
                y =
                        bar(
                                b,
                                x,
                                y,
                                barW,
                                s.onlyA()[i],
                                peak,
                                plotH,
                                ORANGE,
                                day + ": " + s.onlyA()[i] + " only in A");
                bar(
                        b,
                        x,
                        y,
                        barW,
                        s.onlyB()[i],
                        peak,
                        plotH,
                        BLUE,
                        day + ": " + s.onlyB()[i] + " only in B");
            } else if (labelled) {
                int tp = s.truePositives()[i];
                int fp = s.alerts()[i] - tp;
                y = bar(b, x, y, barW, tp, peak, plotH, GREEN, day + ": " + tp + " true positives");
                bar(b, x, y, barW, fp, peak, plotH, RED, day + ": " + fp + " false positives");
                if (s.missed()[i] > 0) {
                    double cx = LEFT + i * slot + slot / 2;
                    b.append(
                                    f(
                                            "<path d=\"M%.1f %d L%.1f %d L%.1f %d Z\" fill=\"%s\">",
                                            cx,
                                            baseY + 3,
                                            cx + 4,
                                            baseY + 10,
                                            cx - 4,
                                            baseY + 10,
                                            ORANGE))
                            .append("<title>")
                            .append(esc(day + ": " + s.missed()[i] + " labelled positives missed"))
                            .append("</title></path>");
                }
            } else {
                bar(
                        b,
                        x,
                        y,
                        barW,
                        s.alerts()[i],
                        peak,
                        plotH,
                        BLUE,
                        day + ": " + s.alerts()[i] + " alerts");
            }
        }
        // Date labels: first, middle and last bucket.
        int[] ticks =
                n == 1 ? new int[] {0} : n == 2 ? new int[] {0, 1} : new int[] {0, n / 2, n - 1};
        for (int i : ticks) {
            double x = LEFT + i * slot + slot / 2;
            String anchor = "middle";
            if (i == 0) {
                x = LEFT;
                anchor = "start";
            } else if (i == n - 1) {
                x = CHART_W - RIGHT;
                anchor = "end";
            }
            b.append(
                    f(
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                            x, CHART_H - 6, anchor, esc(label(t, i))));
        }
        b.append("</svg>\n");
    }

    private static double bar(
            StringBuilder b,
            double x,
            double y,
            double w,
            int count,
            int peak,
            double plotH,
            String color,
            String title) {
        if (count <= 0) {
            return y;
        }
        double h = Math.max(1, plotH * count / peak);
        double top = y - h;
        b.append(
                        f(
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                                x, top, w, h, color))
                .append("<title>")
                .append(esc(title))
                .append("</title></rect>");
        return top;
    }

    private static String label(AlertTimeline t, int i) {
        LocalDate d = t.startOf(i);
        return t.bucketDays() == 1 ? d.toString() : d + " +" + t.bucketDays() + "d";
    }

    private static void whatIf(StringBuilder b, BacktestReport report) {
        WhatIfComparison w = report.whatIf();
        BacktestReport.Run run = report.run();
        b.append("<section><h2>What-if: A against B</h2>\n<p>A: <code>")
                .append(esc(run.patterns()))
                .append("</code> (in force) · B: <code>")
                .append(esc(run.whatIfPatterns()))
                .append("</code></p>\n")
                .append("<p class=\"hint\">The same alert: same user, pattern and detection time.")
                .append(" Shifted: the same user and pattern, sharing matched events, detected at")
                .append(" another time.</p>\n");
        b.append("<table>\n<thead><tr><th>pattern</th><th>version A → B</th>")
                .append("<th class=\"n\">alerts A</th><th class=\"n\">alerts B</th>")
                .append("<th class=\"n\">in both</th><th class=\"n\">shifted</th>")
                .append("<th class=\"n\">only in A</th><th class=\"n\">only in B</th></tr></thead>")
                .append("\n<tbody>\n");
        for (BacktestReport.PatternRow r : report.rows()) {
            PatternDiff d = w.of(r.patternId());
            b.append(d.differs() ? "<tr class=\"changed\">" : "<tr>")
                    .append("<td><code>")
                    .append(esc(r.patternId()))
                    .append("</code></td><td><code>")
                    .append(esc(ReportText.versions(r)))
                    .append("</code></td>");
            diffCells(b, d);
            b.append("</tr>\n");
        }
        b.append("</tbody>\n<tfoot><tr><td>all</td><td></td>");
        diffCells(b, w.total());
        b.append("</tr></tfoot>\n</table>\n");

        boolean any = false;
        for (PatternDiff d : w.patterns()) {
            if (!d.differs()) {
                continue;
            }
            if (!any) {
                b.append("<h3>Examples</h3>\n<div class=\"examples\">\n");
                any = true;
            }
            b.append("<div><h4><code>").append(esc(d.patternId())).append("</code></h4>\n");
            refList(b, "only in A", d.onlyA());
            refList(b, "only in B", d.onlyB());
            if (!d.shifted().isEmpty()) {
                b.append("<p class=\"kind\">shifted (")
                        .append(d.shifted().size())
                        .append(")</p><ul>");
                for (PatternDiff.Shift s :
                        d.shifted()
                                .subList(
                                        0, Math.min(BacktestReport.EXAMPLES, d.shifted().size()))) {
                    b.append("<li><code>")
                            .append(esc(s.a().userId()))
                            .append("</code> A ")
                            .append(esc(EventTime.format(s.a().detectedAt())))
                            .append(" → B ")
                            .append(esc(EventTime.format(s.b().detectedAt())))
                            .append("<br><code class=\"id\">")
                            .append(esc(s.a().alertId()))
                            .append("</code> → <code class=\"id\">")
                            .append(esc(s.b().alertId()))
                            .append("</code></li>");
                }
                b.append("</ul>\n");
            }
            b.append("</div>\n");
        }
        if (!any) {
            b.append("<p>B raises exactly the alerts of A.</p>\n");
        } else {
            b.append("</div>\n<h3>Differences over time</h3>\n<p class=\"legend\">");
            legend(b, GREY, "in both (or shifted)");
            legend(b, ORANGE, "only in A");
            legend(b, BLUE, "only in B");
            b.append("</p>\n<div class=\"grid\">\n");
            AlertTimeline t = report.timeline();
            for (PatternDiff d : w.patterns()) {
                if (d.differs() && t.buckets() > 0) {
                    b.append("<figure><figcaption><code>")
                            .append(esc(d.patternId()))
                            .append("</code> ")
                            .append(f("A %,d → B %,d alerts", d.alertsA(), d.alertsB()))
                            .append("</figcaption>\n");
                    chart(b, t, t.series().get(d.patternId()), false, true);
                    b.append("</figure>\n");
                }
            }
            b.append("</div>\n");
        }
        b.append("</section>\n");
    }

    private static void diffCells(StringBuilder b, PatternDiff d) {
        b.append("<td class=\"n\">")
                .append(d.alertsA())
                .append("</td>")
                .append("<td class=\"n\">")
                .append(d.alertsB())
                .append("</td>")
                .append("<td class=\"n\">")
                .append(d.both().size())
                .append("</td>")
                .append("<td class=\"n\">")
                .append(d.shifted().size())
                .append("</td>")
                .append("<td class=\"n")
                .append(d.onlyA().isEmpty() ? "" : " a")
                .append("\">")
                .append(d.onlyA().size())
                .append("</td>")
                .append("<td class=\"n")
                .append(d.onlyB().isEmpty() ? "" : " b")
                .append("\">")
                .append(d.onlyB().size())
                .append("</td>");
    }

    private static void refList(StringBuilder b, String kind, List<AlertRef> refs) {
        if (refs.isEmpty()) {
            return;
        }
        b.append("<p class=\"kind\">")
                .append(esc(kind))
                .append(" (")
                .append(refs.size())
                .append(")</p><ul>");
        for (AlertRef r : refs.subList(0, Math.min(BacktestReport.EXAMPLES, refs.size()))) {
            b.append("<li><code>")
                    .append(esc(r.userId()))
                    .append("</code> ")
                    .append(esc(EventTime.format(r.detectedAt())))
                    .append("<br><code class=\"id\">")
                    .append(esc(r.alertId()))
                    .append("</code></li>");
        }
        b.append("</ul>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static final String CSS =
            String.join(
                    "\n",
                    "*{box-sizing:border-box}",
                    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
                            + "Arial,sans-serif;color:#212529;background:#f8f9fa;margin:0;"
                            + "padding:24px}",
                    "header,section,footer{max-width:1120px;margin:0 auto 20px}",
                    "h1{font-size:24px;margin:0 0 4px}",
                    "h2{font-size:18px;margin:0 0 10px}",
                    "h3{font-size:15px;margin:18px 0 8px}",
                    "h4{font-size:13px;margin:0 0 4px}",
                    ".sub{color:#495057;margin:0;word-break:break-all}",
                    "section{background:#fff;border:1px solid #dee2e6;border-radius:8px;"
                            + "padding:16px 18px}",
                    "section.kpis{display:grid;grid-template-columns:repeat(auto-fill,"
                            + "minmax(125px,1fr));gap:10px;background:none;border:0;padding:0}",
                    ".kpi{background:#fff;border:1px solid #dee2e6;border-radius:8px;"
                            + "padding:10px 12px}",
                    ".kpi .label{color:#495057;font-size:12px;text-transform:uppercase;"
                            + "letter-spacing:.03em}",
                    ".kpi .value{font-size:22px;font-weight:600;font-variant-numeric:"
                            + "tabular-nums}",
                    ".kpi .note{color:#868e96;font-size:12px}",
                    "table{border-collapse:collapse;width:100%;font-variant-numeric:"
                            + "tabular-nums}",
                    "th,td{padding:5px 8px;border-bottom:1px solid #e9ecef;text-align:left;"
                            + "white-space:nowrap}",
                    "th{font-size:12px;color:#495057;font-weight:600}",
                    "td.n,th.n{text-align:right}",
                    "tfoot td{font-weight:600;border-top:2px solid #ced4da}",
                    "tr.off td{color:#868e96}",
                    "tr.changed td{background:#fff9db}",
                    "td.bad{color:" + RED + ";font-weight:600}",
                    "td.a{color:" + ORANGE + ";font-weight:600}",
                    "td.b{color:" + BLUE + ";font-weight:600}",
                    ".tag{font-size:11px;background:#e9ecef;border-radius:4px;padding:0 4px}",
                    ".meter{display:inline-block;width:60px;height:8px;background:#e9ecef;"
                            + "border-radius:4px;vertical-align:middle;overflow:hidden}",
                    ".meter span{display:block;height:100%;background:" + GREEN + "}",
                    ".muted,.hint{color:#868e96}",
                    ".hint{font-size:12px;margin:8px 0 0}",
                    ".legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;margin:0 0 8px}",
                    ".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;"
                            + "margin-right:4px;vertical-align:-1px}",
                    ".legend svg{display:inline-block;width:12px;height:12px;"
                            + "vertical-align:-1px;margin-right:4px}",
                    ".grid{display:grid;grid-template-columns:repeat(auto-fill,"
                            + "minmax(500px,1fr));gap:12px}",
                    "figure{margin:0;border:1px solid #e9ecef;border-radius:6px;padding:8px}",
                    "figcaption{font-size:12px;color:#495057;margin-bottom:2px}",
                    "svg{width:100%;height:auto;display:block}",
                    "svg .axis{stroke:#868e96;stroke-width:1}",
                    "svg .gridline{stroke:#e9ecef;stroke-dasharray:3 3}",
                    "svg text{font-size:10px;fill:#868e96}",
                    "svg .ylab{text-anchor:end}",
                    ".examples{display:grid;grid-template-columns:repeat(auto-fill,"
                            + "minmax(420px,1fr));gap:12px}",
                    ".examples ul{margin:0 0 8px;padding-left:18px;font-size:12px}",
                    ".kind{font-size:12px;font-weight:600;margin:4px 0 2px}",
                    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
                            + "font-size:12px}",
                    "code.id{color:#868e96;font-size:11px}",
                    "footer{color:#868e96;font-size:12px}",
                    "");
}
