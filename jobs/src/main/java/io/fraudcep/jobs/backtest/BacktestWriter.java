package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.AlertJson;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.io.OutputJson;
import io.fraudcep.jobs.io.WallClock;
import io.fraudcep.model.EventCodec;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleVersion;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a backtest leaves behind: its alerts, shadow alerts, dead letters and late events as JSONL,
 * and its report printed as text and written as JSON and HTML, each to the file its {@link
 * BacktestJob.Config} names.
 */
public final class BacktestWriter {

    private BacktestWriter() {}

    /** Writes every output and the report, and prints the report and where each file went. */
    public static void writeAll(
            BacktestJob.Config config, BacktestJob.Result result, PrintStream out)
            throws IOException {
        write(config, result);
        BacktestReport report = report(config, result);
        out.print(ReportText.render(report));
        writeReport(config, report);
        out.println();
        printRuleHistory(out, result);
        printFile(out, "Alerts:       ", config.output());
        if (config.alertsTopic() != null) {
            out.println("Alerts topic: " + config.alertsTopic());
        }
        printFile(out, "Shadow alerts:", config.shadowAlerts());
        printFile(out, "Dead letters: ", config.deadLetters());
        printFile(out, "Late events:  ", config.lateEvents());
        printFile(out, "Report JSON:  ", config.reportJson());
        printFile(out, "Report HTML:  ", config.reportHtml());
    }

    /** The rule versions replayed, and the control topic's records that changed nothing. */
    static void printRuleHistory(PrintStream out, BacktestJob.Result result) {
        List<RuleVersion> versions = result.ruleHistory().versions();
        if (versions.isEmpty() && result.rejectedRuleRecords().isEmpty()) {
            return;
        }
        out.println("Rule versions replayed: " + versions.size());
        for (RuleVersion v : versions) {
            out.println(
                    "  "
                            + v.ruleId()
                            + " version "
                            + v.ruleVersion()
                            + " from "
                            + v.effectiveFrom()
                            + " ("
                            + v.rule().mode().name().toLowerCase(java.util.Locale.ROOT)
                            + ")");
        }
        for (RuleHistoryBuilder.Rejected r : result.rejectedRuleRecords()) {
            out.println("  skipped " + r.where() + ": " + r.reason());
        }
        out.println();
    }

    private static void printFile(PrintStream out, String label, Path file) {
        if (file != null) {
            out.println(label + file);
        }
    }

    /**
     * Writes alerts, shadow alerts (alerts.md's JSON plus {@code "mode": "shadow"}), dead letters
     * and late events as JSONL, to the files the config names.
     */
    public static void write(BacktestJob.Config config, BacktestJob.Result result)
            throws IOException {
        Instant now = WallClock.now();
        if (config.output() != null) {
            writeLines(
                    config.output(),
                    result.alerts().stream().map(a -> AlertJson.toJson(a, now)).toList());
        }
        if (config.shadowAlerts() != null) {
            writeLines(
                    config.shadowAlerts(),
                    result.shadowAlerts().stream()
                            .map(
                                    a ->
                                            new String(
                                                    OutputJson.shadowAlert(a, now),
                                                    StandardCharsets.UTF_8))
                            .toList());
        }
        if (config.deadLetters() != null) {
            writeLines(
                    config.deadLetters(),
                    result.deadLetters().stream()
                            .map(
                                    d ->
                                            new String(
                                                    OutputJson.deadLetter(d, now),
                                                    StandardCharsets.UTF_8))
                            .toList());
        }
        if (config.lateEvents() != null) {
            writeLines(
                    config.lateEvents(),
                    result.lateEvents().stream().map(EventCodec::toJson).toList());
        }
    }

    /** The report of a run: its figures, the score with labels, the what-if comparison. */
    public static BacktestReport report(BacktestJob.Config config, BacktestJob.Result result) {
        BacktestReport.Run run =
                new BacktestReport.Run(
                        config.input().describe(),
                        config.parallelism(),
                        config.describeRules(),
                        config.describeWhatIf(),
                        config.labelsFile() == null ? null : config.labelsFile().toString(),
                        WallClock.now(),
                        result.eventsRead(),
                        result.elapsed(),
                        result.alerts().size(),
                        result.shadowAlerts().size(),
                        result.deadLetters().size(),
                        result.lateEvents().size(),
                        result.duplicates());
        return BacktestReport.of(
                run,
                new BacktestReport.Outcome(config.rules(), result.alerts(), result.shadowAlerts()),
                config.whatIf() == null
                        ? null
                        : new BacktestReport.Outcome(
                                config.whatIf(),
                                result.whatIfAlerts(),
                                result.whatIfShadowAlerts()),
                config.labels());
    }

    /** Writes the report's JSON and HTML to the files the config names. */
    public static void writeReport(BacktestJob.Config config, BacktestReport report)
            throws IOException {
        if (config.reportJson() != null) {
            writeLines(config.reportJson(), List.of(ReportJson.render(report).stripTrailing()));
        }
        if (config.reportHtml() != null) {
            writeLines(config.reportHtml(), List.of(ReportHtml.render(report).stripTrailing()));
        }
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        }
    }
}
