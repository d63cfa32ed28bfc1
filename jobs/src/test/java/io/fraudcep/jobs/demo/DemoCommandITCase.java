package io.fraudcep.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.jobs.demo.DemoRuleChanges.LogSpan;
import io.fraudcep.jobs.local.LocalCluster;
import io.fraudcep.sampledata.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/fraud demo} as a first-time user sees it: run once on the bundled log with the shipped
 * rules, its printed lines checked. Before the job starts it publishes NEW_DEVICE_PAYEE as a new
 * shadow rule from the log's start and VELOCITY with a lower threshold from the middle of the log
 * (2026-01-20); the job reads both with the control topic's history, switches VELOCITY's version
 * midway through the log and records the instant it applied each version from.
 */
class DemoCommandITCase {

    private static final Instant LOG_START = Instant.parse("2025-07-12T00:00:00Z");
    private static final Instant LOG_MIDDLE = Instant.parse("2026-01-20T00:00:00Z");

    /** An alert line: severity, rule, the shadow mark, user, detectedAt, patternVersion. */
    private static final Pattern ALERT =
            Pattern.compile(
                    "^(LOW|MEDIUM|HIGH|CRITICAL) +([A-Z][A-Z0-9_]+) +(\\[shadow\\])? *user (\\S+)"
                            + " +at (\\S+) +(\\d+-[0-9a-f]{12}) +.*\\[[0-9a-f]{12}\\]$");

    /** An audit line: rule, version, mode, applied from, on time or late. */
    private static final Pattern APPLIED =
            Pattern.compile(
                    "^  ([A-Z][A-Z0-9_]+) +version (\\d+) +(active|shadow|disabled) +applied from"
                            + " (\\S+) +(on time|late).*$");

    private record AlertLine(
            String rule, boolean shadow, String user, Instant detectedAt, String patternVersion) {}

    private static int exitCode;
    private static List<String> lines;

    @BeforeAll
    static void runTheDemo() throws Exception {
        Path log = Fixtures.demo();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            exitCode =
                    DemoCommand.run(
                            log,
                            LogSpan.of(log, DemoCommand.INPUT_TOPICS),
                            null,
                            2,
                            3,
                            LocalCluster.LOOPBACK,
                            out);
        }
        lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void exitsZeroAfterPrintingWhatItPublishedOneLineEach() {
        assertThat(exitCode).isZero();
        assertThat(lines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                "  NEW_DEVICE_PAYEE   version 1  effective "
                                                        + LOG_START
                                                        + "  shadow")
                                        .contains("patternVersion 1-")
                                        .endsWith("(new rule)"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                "  VELOCITY           version 1  effective "
                                                        + LOG_MIDDLE
                                                        + "  active")
                                        .contains("patternVersion 1-")
                                        .endsWith("(minTransactions 10 -> 6)"));
    }

    @Test
    void shadowAlertsAreMarkedAndNeverReadFromTheAlertTopic() {
        List<AlertLine> alerts = alerts();
        List<AlertLine> shadow = alerts.stream().filter(AlertLine::shadow).toList();
        String shadowVersion = publishedPatternVersion("NEW_DEVICE_PAYEE");

        assertThat(shadow).as("shadow alerts").isNotEmpty();
        assertThat(shadow)
                .allSatisfy(
                        a -> {
                            assertThat(a.rule()).isEqualTo("NEW_DEVICE_PAYEE");
                            assertThat(a.patternVersion()).isEqualTo(shadowVersion);
                            assertThat(a.detectedAt())
                                    .isAfterOrEqualTo(applied("NEW_DEVICE_PAYEE"));
                        });
        assertThat(alerts)
                .as("alerts of fraud-alerts")
                .filteredOn(a -> !a.shadow())
                .isNotEmpty()
                .noneMatch(a -> a.rule().equals("NEW_DEVICE_PAYEE"));
        assertThat(lines)
                .contains(
                        String.format(
                                "    %-18s %-8s %3d", "NEW_DEVICE_PAYEE", "shadow", shadow.size()))
                .noneMatch(l -> l.matches(" +NEW_DEVICE_PAYEE +active +\\d+.*"));
    }

    @Test
    void theChangedRuleAlertsWithItsNewVersionFromTheInstantItAppliesFrom() {
        Instant from = applied("VELOCITY");
        String newVersion = publishedPatternVersion("VELOCITY");
        List<AlertLine> velocity =
                alerts().stream().filter(a -> a.rule().equals("VELOCITY")).toList();

        assertThat(velocity)
                .filteredOn(a -> a.detectedAt().isBefore(from))
                .as("judged by the rule file's version before %s", from)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.patternVersion()).startsWith("2-"));
        assertThat(velocity)
                .filteredOn(a -> !a.detectedAt().isBefore(from))
                .as("judged by the published version from %s", from)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.patternVersion()).isEqualTo(newVersion));
        String summaryRow =
                " +VELOCITY +active +\\d+  \\(\\d+ by 2-[0-9a-f]{12}, \\d+ by "
                        + newVersion
                        + "\\)";
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(summaryRow));
    }

    @Test
    void printsTheAuditRecordOfEachVersionTheJobApplied() {
        assertThat(lines).contains("Rule versions the job applied (topic fraud-rules-applied):");
        List<Matcher> audit =
                lines.stream().map(APPLIED::matcher).filter(Matcher::matches).toList();

        assertThat(audit)
                .extracting(m -> m.group(1) + " " + m.group(2) + " " + m.group(3))
                .containsExactly("NEW_DEVICE_PAYEE 1 shadow", "VELOCITY 1 active");
        // Read with the history when the job was built: each applies from its effectiveFrom.
        assertThat(audit)
                .extracting(m -> m.group(4) + " " + m.group(5))
                .containsExactly(LOG_START + " on time", LOG_MIDDLE + " on time");
    }

    /** The instant the audit line of {@code rule} says the job applied its version from. */
    private static Instant applied(String rule) {
        return lines.stream()
                .map(APPLIED::matcher)
                .filter(m -> m.matches() && m.group(1).equals(rule))
                .map(m -> Instant.parse(m.group(4)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no audit line of " + rule));
    }

    /** The patternVersion the demo printed for the version of {@code rule} it published. */
    private static String publishedPatternVersion(String rule) {
        Pattern published =
                Pattern.compile(
                        "^  " + rule + " +version 1 .* patternVersion (1-[0-9a-f]{12}) .*$");
        return lines.stream()
                .map(published::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no published line of " + rule));
    }

    private static List<AlertLine> alerts() {
        List<AlertLine> alerts = new ArrayList<>();
        for (String l : lines) {
            Matcher m = ALERT.matcher(l);
            if (m.matches()) {
                alerts.add(
                        new AlertLine(
                                m.group(2),
                                m.group(3) != null,
                                m.group(4),
                                Instant.parse(m.group(5)),
                                m.group(6)));
            }
        }
        return alerts;
    }
}
