package io.fraudcep.jobs.rules;

import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleVersion;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.KafkaException;

/**
 * {@code bin/fraud rules list}: the rule history on the control topic as the live job sees it. Per
 * rule id (sorted), one line per version with the instant the live job applied it at (from the
 * audit topic); then the records that changed nothing and why; then each rule's version in force at
 * the latest instant the live job applied a version at. The output depends only on the topics,
 * never on the wall clock.
 */
final class RulesList {

    static final List<Option<?>> OPTIONS =
            List.of(
                    KafkaSettings.BOOTSTRAP_SERVERS,
                    RulesCommand.RULES_TOPIC,
                    RulesCommand.APPLIED_TOPIC,
                    KafkaSettings.KAFKA_PROPERTIES);

    private static final List<String> HEADER =
            List.of(
                    "RULE",
                    "VERSION",
                    "EFFECTIVE FROM",
                    "APPLIED",
                    "MODE",
                    "PATTERN VERSION",
                    "PUBLISHED BY",
                    "PUBLISHED AT",
                    "COMMENT");

    private RulesList() {}

    /**
     * Runs the sub-command.
     *
     * @param args the arguments after {@code list}
     * @return 0 listed, 1 Kafka failed, 2 a command line that cannot be run
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options.Parsed o;
        Properties client;
        try {
            SubcommandLine line = SubcommandLine.split(args, "bin/fraud rules list", OPTIONS, null);
            if (!line.positionals().isEmpty()) {
                throw new UsageException(
                        "list takes no FILE, not " + String.join(" ", line.positionals()));
            }
            o = new Options("bin/fraud rules list", "", OPTIONS).parse(line.options());
            client = RulesCommand.kafkaClient(o);
        } catch (UsageException e) {
            return RulesCommand.usage(err, e.getMessage());
        }
        String rulesTopic = o.get(RulesCommand.RULES_TOPIC);
        String appliedTopic = o.get(RulesCommand.APPLIED_TOPIC);
        RuleHistoryReader.Snapshot snapshot;
        try {
            snapshot =
                    RuleHistoryReader.read(
                            client,
                            rulesTopic,
                            appliedTopic,
                            new RuleSet("topic", List.of()),
                            RulesPublish.TIMEOUT);
        } catch (KafkaException | IllegalStateException e) {
            err.println(
                    "rules list: cannot read "
                            + rulesTopic
                            + " and "
                            + appliedTopic
                            + " at "
                            + o.get(KafkaSettings.BOOTSTRAP_SERVERS)
                            + ": "
                            + e.getMessage());
            return 1;
        }
        print(snapshot, rulesTopic, appliedTopic, out);
        return 0;
    }

    /** Prints what {@code snapshot} holds. */
    private static void print(
            RuleHistoryReader.Snapshot snapshot,
            String rulesTopic,
            String appliedTopic,
            PrintStream out) {
        RuleHistoryBuilder builder = snapshot.builder();
        List<RuleRecord> records = builder.records();
        List<RuleHistoryBuilder.Rejected> rejected = builder.rejected();
        Map<String, AppliedVersion> applied = new HashMap<>();
        Instant latestApplied = null;
        for (AppliedVersion a : snapshot.applied()) {
            // The last audit record of a version is the one the history uses.
            applied.put(a.ruleId() + "#" + a.ruleVersion(), a);
            if (latestApplied == null || a.appliedFrom().isAfter(latestApplied)) {
                latestApplied = a.appliedFrom();
            }
        }
        TreeSet<String> ids = new TreeSet<>();
        records.forEach(r -> ids.add(r.ruleId()));

        out.println(
                rulesTopic
                        + ": "
                        + plural(records.size() + rejected.size(), "record")
                        + ", "
                        + plural(records.size(), "version")
                        + " of "
                        + plural(ids.size(), "rule")
                        + ", "
                        + rejected.size()
                        + " rejected; "
                        + appliedTopic
                        + ": "
                        + plural(snapshot.applied().size(), "audit record")
                        + (snapshot.unreadableApplied() == 0
                                ? ""
                                : ", " + snapshot.unreadableApplied() + " unreadable (skipped)"));

        if (!records.isEmpty()) {
            out.println();
            Map<String, List<RuleRecord>> byId = new TreeMap<>();
            records.forEach(r -> byId.computeIfAbsent(r.ruleId(), k -> new ArrayList<>()).add(r));
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            byId.values().forEach(rs -> rs.forEach(r -> rows.add(row(r, applied))));
            table(rows, out);
        }

        out.println();
        if (rejected.isEmpty()) {
            out.println("Rejected records: none");
        } else {
            out.println("Rejected records (each changed nothing):");
            for (RuleHistoryBuilder.Rejected r : rejected) {
                out.println(
                        "  "
                                + r.where()
                                + " key "
                                + (r.key() == null ? "(none)" : r.key())
                                + ": "
                                + oneLine(r.reason()));
            }
        }

        if (ids.isEmpty()) {
            return;
        }
        Instant at = latestApplied;
        out.println();
        if (at == null) {
            at = records.stream().map(RuleRecord::effectiveFrom).max(Instant::compareTo).get();
            out.println(
                    "No audit record on "
                            + appliedTopic
                            + " (no live job applied a version yet): in force at the latest"
                            + " effectiveFrom");
        } else {
            out.println("In force at the latest instant the live job applied a version at:");
        }
        RuleHistory history = builder.build();
        for (String id : ids) {
            RuleVersion v = history.inForce(id, at);
            if (v == null) {
                RuleVersion first = history.timeline(id).get(0);
                out.println(
                        "in force at "
                                + at
                                + ": "
                                + id
                                + " none yet (version "
                                + first.ruleVersion()
                                + " from "
                                + first.effectiveFrom()
                                + ")");
            } else {
                out.println(
                        "in force at "
                                + at
                                + ": "
                                + id
                                + " version "
                                + v.ruleVersion()
                                + " ("
                                + mode(v)
                                + ")");
            }
        }
    }

    private static List<String> row(RuleRecord r, Map<String, AppliedVersion> applied) {
        AppliedVersion a = applied.get(r.ruleId() + "#" + r.ruleVersion());
        String appliedAt =
                a == null ? "not yet applied" : a.appliedFrom() + (a.late() ? " late" : "");
        return List.of(
                r.ruleId(),
                String.valueOf(r.ruleVersion()),
                r.effectiveFrom().toString(),
                appliedAt,
                r.rule().mode().name().toLowerCase(Locale.ROOT),
                RuleCanonical.patternVersion(r.rule()),
                orDash(r.publishedBy()),
                orDash(r.publishedAt()),
                orDash(r.comment()));
    }

    /** Columns padded to their widest cell; the last one is not padded. */
    private static void table(List<List<String>> rows, PrintStream out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                b.append(c == columns - 1 ? cell : String.format("%-" + widths[c] + "s  ", cell));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static String mode(RuleVersion v) {
        return v.rule().mode().name().toLowerCase(Locale.ROOT);
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : oneLine(s);
    }

    /** Text from a record on one line: control characters (line breaks) become spaces. */
    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", " ");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
