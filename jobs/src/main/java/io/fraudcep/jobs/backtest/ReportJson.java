package io.fraudcep.jobs.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.model.EventTime;
import io.fraudcep.rules.RuleMode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as one JSON document, for scripts and dashboards. */
public final class ReportJson {

    /** Version of this document's layout. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    public static String render(BacktestReport report) {
        try {
            return JSON.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(BacktestReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        BacktestReport.Run run = report.run();
        root.put("generatedAt", EventTime.format(run.generatedAt()));
        root.put("input", run.input());
        root.put("parallelism", run.parallelism());
        root.put("patterns", run.patterns());
        root.put("whatIfPatterns", run.whatIfPatterns());
        root.put("labels", run.labels());
        root.put("eventsRead", run.eventsRead());
        root.put("elapsedSeconds", run.elapsed().toMillis() / 1000.0);
        root.put("eventsPerSecond", Math.round(run.eventsPerSecond()));
        root.put("alerts", run.alerts());
        root.put("shadowAlerts", run.shadowAlerts());
        root.put("deadLetters", run.deadLetters());
        root.put("lateEvents", run.lateEvents());
        root.put("duplicates", run.duplicates());

        ArrayNode patterns = root.putArray("byPattern");
        for (BacktestReport.PatternRow r : report.rows()) {
            ObjectNode p = patterns.addObject();
            p.put("patternId", r.patternId());
            p.put("enabled", r.enabled());
            p.put("mode", mode(r.mode()));
            p.put("patternVersion", r.version());
            p.put("alerts", r.alerts());
            p.put("shadowAlerts", r.shadowAlerts());
            if (report.score() != null) {
                score(p, report.score().of(r.patternId()));
            }
        }
        if (report.score() != null) {
            score(root.putObject("total"), report.score().total());
        }
        if (report.whatIf() != null) {
            ObjectNode w = root.putObject("whatIf");
            w.put("patternsA", run.patterns());
            w.put("patternsB", run.whatIfPatterns());
            w.put(
                    "matching",
                    "both: same userId, patternId and detectedAt; shifted: same userId and"
                            + " patternId, sharing matched events, other detectedAt");
            ArrayNode rows = w.putArray("byPattern");
            for (BacktestReport.PatternRow r : report.rows()) {
                ObjectNode d = rows.addObject();
                d.put("patternId", r.patternId());
                d.put("patternVersionA", r.enabled() ? r.version() : null);
                d.put("patternVersionB", r.whatIfEnabled() ? r.whatIfVersion() : null);
                d.put("modeA", mode(r.mode()));
                d.put("modeB", mode(r.whatIfMode()));
                d.put("shadowAlertsB", r.whatIfShadowAlerts());
                diff(d, report.whatIf().of(r.patternId()));
            }
            diff(w.putObject("total"), report.whatIf().total());
        }
        AlertTimeline t = report.timeline();
        ObjectNode timeline = root.putObject("timeline");
        timeline.put("firstDay", t.buckets() == 0 ? null : t.firstDay().toString());
        timeline.put("bucketDays", t.bucketDays());
        timeline.put("buckets", t.buckets());
        ObjectNode series = timeline.putObject("byPattern");
        for (Map.Entry<String, AlertTimeline.Series> e : t.series().entrySet()) {
            ObjectNode s = series.putObject(e.getKey());
            ints(s, "alerts", e.getValue().alerts());
            if (report.score() != null) {
                ints(s, "truePositives", e.getValue().truePositives());
                ints(s, "missed", e.getValue().missed());
            }
            if (report.whatIf() != null) {
                ints(s, "onlyA", e.getValue().onlyA());
                ints(s, "onlyB", e.getValue().onlyB());
            }
        }
        return root;
    }

    /** A rule's mode as rule files write it (active, shadow, disabled), or null. */
    private static String mode(RuleMode mode) {
        return mode == null ? null : mode.name().toLowerCase(Locale.ROOT);
    }

    private static void score(ObjectNode n, PatternScore s) {
        n.put("positives", s.positives());
        n.put("nearMisses", s.nearMisses());
        n.put("alerts", s.alerts());
        n.put("truePositives", s.truePositives());
        n.put("falsePositives", s.falsePositives());
        n.put("misses", s.misses());
        n.put("precision", s.precision());
        n.put("recall", s.recall());
    }

    private static void diff(ObjectNode n, PatternDiff d) {
        n.put("alertsA", d.alertsA());
        n.put("alertsB", d.alertsB());
        n.put("both", d.both().size());
        n.put("shifted", d.shifted().size());
        n.put("onlyA", d.onlyA().size());
        n.put("onlyB", d.onlyB().size());
        ObjectNode ex = n.putObject("examples");
        refs(ex.putArray("onlyA"), d.onlyA());
        refs(ex.putArray("onlyB"), d.onlyB());
        refs(ex.putArray("both"), d.both());
        ArrayNode shifted = ex.putArray("shifted");
        for (PatternDiff.Shift s : d.shifted().subList(0, limit(d.shifted()))) {
            ObjectNode pair = shifted.addObject();
            ref(pair.putObject("a"), s.a());
            ref(pair.putObject("b"), s.b());
        }
    }

    private static void refs(ArrayNode array, List<AlertRef> refs) {
        refs.subList(0, limit(refs)).forEach(r -> ref(array.addObject(), r));
    }

    private static void ref(ObjectNode n, AlertRef r) {
        n.put("alertId", r.alertId());
        n.put("userId", r.userId());
        n.put("patternVersion", r.patternVersion());
        n.put("detectedAt", EventTime.format(r.detectedAt()));
    }

    private static int limit(List<?> list) {
        return Math.min(BacktestReport.EXAMPLES, list.size());
    }

    private static void ints(ObjectNode n, String field, int[] values) {
        ArrayNode a = n.putArray(field);
        for (int v : values) {
            a.add(v);
        }
    }
}
