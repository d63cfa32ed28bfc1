package io.fraudcep.jobs.backtest;

import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.RuleFileOptions;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.WallClock;
import io.fraudcep.jobs.local.LocalCluster;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.jobs.rules.RuleTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The backtest's command line: its options, and their parsing and validation into a {@link
 * BacktestJob.Config}. Every mistake is a {@link UsageException} that names the option.
 */
public final class BacktestOptions {

    static final Option<Path> INPUT =
            Option.path(
                    "input",
                    "DIR",
                    "directory with one JSONL file per input topic, named <topic>.jsonl");
    static final Option<Path> LOGINS_FILE =
            Option.existingFile(
                    "logins-file", "JSONL file of the logins topic (instead of --input)");
    static final Option<Path> TRANSACTIONS_FILE =
            Option.existingFile(
                    "transactions-file",
                    "JSONL file of the transactions topic (instead of --input)");
    static final Option<Path> ACCOUNT_CHANGES_FILE =
            Option.existingFile(
                    "account-changes-file",
                    "JSONL file of the account-changes topic (instead of --input)");
    static final Option<String> BOOTSTRAP_SERVERS =
            Option.custom(
                    "bootstrap-servers",
                    "HOST:PORT[,...]",
                    null,
                    "replay the Kafka input topics of these brokers (instead of files)",
                    v -> {
                        if (v.isBlank()) {
                            throw new IllegalArgumentException("must not be empty");
                        }
                        return v.trim();
                    });
    static final Option<ReplayStart> FROM =
            Option.custom(
                    "from",
                    "earliest|TIMESTAMP|OFFSETS",
                    ReplayStart.EARLIEST,
                    "Kafka: first records to replay; TIMESTAMP is ISO-8601 or epoch ms of the"
                            + " record timestamps, OFFSETS topic:partition=offset,... (partitions"
                            + " not listed: earliest)",
                    ReplayStart::parse);
    static final Option<ReplayEnd> UNTIL =
            Option.custom(
                    "until",
                    "latest|TIMESTAMP",
                    ReplayEnd.LATEST,
                    "Kafka: end of the replay, exclusive (latest = the end offsets at start-up)",
                    ReplayEnd::parse);
    static final Option<Path> OUTPUT =
            Option.path("output", "FILE", "alerts of the active rules as JSONL");
    static final Option<String> ALERTS_TOPIC =
            Option.text(
                    "alerts-topic",
                    null,
                    "Kafka replay: write the alerts of the active rules to this topic (at least"
                            + " once)");
    static final Option<Path> SHADOW_ALERTS =
            Option.path(
                    "shadow-alerts",
                    "FILE",
                    "alerts of the shadow rules as JSONL, with \"mode\": \"shadow\" (default:"
                            + " <output>.shadow.jsonl)");
    static final Option<Path> DEAD_LETTERS =
            Option.path(
                    "dead-letters",
                    "FILE",
                    "rejected records as JSONL (default: <output>.dead-letters.jsonl)");
    static final Option<Path> LATE_EVENTS =
            Option.path(
                    "late-events",
                    "FILE",
                    "events behind the watermark as JSONL (default: <output>.late-events.jsonl)");
    static final Option<Path> COMPARE_RULES =
            Option.existingFile(
                    "compare-rules",
                    "what-if: a second rule file run in the same pass on the same events, and"
                            + " compared (a v1 pattern file is converted)");
    static final Option<Void> COMPARE_PATTERNS =
            Option.removed(
                    "compare-patterns",
                    "was replaced by --compare-rules: give the file to --compare-rules (a v1"
                            + " pattern file is converted)");
    static final Option<Path> LABELS =
            Option.existingFile("labels", "labels.jsonl of the generator: score the alerts");
    static final Option<Path> REPORT_JSON =
            Option.path(
                    "report-json", "FILE", "the report as JSON (default: <output>.report.json)");
    static final Option<Path> REPORT_HTML =
            Option.path(
                    "report-html", "FILE", "the report as HTML (default: <output>.report.html)");
    static final Option<Integer> PARALLELISM =
            Option.positiveInt("parallelism", 2, "parallelism of the replay");
    static final Option<Path> RULES_HISTORY =
            Option.existingFile(
                    "rules-history",
                    "rule versions to replay, as JSONL records of the control topic (and the live"
                            + " job's audit records of the instants it applied them from); a"
                            + " replay from Kafka reads --rules-topic instead");
    static final Option<Boolean> NO_RULES_HISTORY =
            Option.flag(
                    "no-rules-history",
                    "a replay from Kafka: ignore the control topic, apply the rule file alone");

    private BacktestOptions() {}

    /** The options, for {@code --help}. */
    public static Options options() {
        return new Options(
                "backtest",
                "Replays a log from files or Kafka through the detection pipeline, writes the"
                        + " alerts and reports them\n(scored with --labels, compared with a second"
                        + " rule file with --compare-rules).",
                List.of(
                        INPUT,
                        LOGINS_FILE,
                        TRANSACTIONS_FILE,
                        ACCOUNT_CHANGES_FILE,
                        BOOTSTRAP_SERVERS,
                        KafkaSettings.KAFKA_PROPERTIES,
                        FROM,
                        UNTIL,
                        KafkaSettings.LOGINS_TOPIC,
                        KafkaSettings.TRANSACTIONS_TOPIC,
                        KafkaSettings.ACCOUNT_CHANGES_TOPIC,
                        OUTPUT,
                        ALERTS_TOPIC,
                        SHADOW_ALERTS,
                        DEAD_LETTERS,
                        LATE_EVENTS,
                        RuleFileOptions.RULES,
                        RuleFileOptions.PATTERNS,
                        COMPARE_RULES,
                        COMPARE_PATTERNS,
                        LABELS,
                        REPORT_JSON,
                        REPORT_HTML,
                        DetectionJob.OUT_OF_ORDERNESS,
                        DetectionJob.MAX_FUTURE_SKEW,
                        RULES_HISTORY,
                        NO_RULES_HISTORY,
                        RuleTopics.RULES_TOPIC,
                        RuleTopics.APPLIED_TOPIC,
                        RuleTopics.RULE_HORIZON,
                        PARALLELISM,
                        LocalCluster.STATE_BACKEND));
    }

    /** Parses and validates arguments; throws {@link UsageException} naming the option. */
    public static BacktestJob.Config parse(String... args) {
        Options.Parsed o = options().parse(args);
        ReplayInput input = input(o);
        Path output = o.get(OUTPUT);
        String alertsTopic = o.get(ALERTS_TOPIC);
        if (output == null && alertsTopic == null) {
            throw new UsageException(
                    "--output is required: the alerts file to write"
                            + " (or --alerts-topic for a replay from Kafka)");
        }
        if (alertsTopic != null) {
            if (!(input instanceof ReplayInput.Kafka kafka)) {
                throw new UsageException(
                        "--alerts-topic needs a replay from Kafka (--bootstrap-servers);"
                                + " a replay from files writes its alerts to --output");
            }
            if (kafka.kafka().inputTopics().contains(alertsTopic)) {
                throw new UsageException("--alerts-topic: '" + alertsTopic + "' is an input topic");
            }
            input =
                    new ReplayInput.Kafka(
                            kafka.kafka().withAlertsTopic(alertsTopic),
                            kafka.start(),
                            kafka.end(),
                            kafka.groupId());
        }
        String base = output == null ? null : output.toString().replaceFirst("\\.jsonl$", "");
        Path rulesFile = o.get(RuleFileOptions.RULES);
        Path whatIfFile = o.get(COMPARE_RULES);
        Path labelsFile = o.get(LABELS);
        List<LabelledScenario> labels = null;
        if (labelsFile != null) {
            try {
                labels = Labels.read(labelsFile);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--labels: " + e.getMessage());
            }
        }
        return new BacktestJob.Config(
                input,
                output,
                alertsTopic,
                pathOrDefault(o, SHADOW_ALERTS, base, ".shadow.jsonl"),
                pathOrDefault(o, DEAD_LETTERS, base, ".dead-letters.jsonl"),
                pathOrDefault(o, LATE_EVENTS, base, ".late-events.jsonl"),
                RuleFileOptions.load(RuleFileOptions.RULES, rulesFile),
                rulesFile,
                whatIfFile == null ? null : RuleFileOptions.load(COMPARE_RULES, whatIfFile),
                whatIfFile,
                labels,
                labelsFile,
                pathOrDefault(o, REPORT_JSON, base, ".report.json"),
                pathOrDefault(o, REPORT_HTML, base, ".report.html"),
                o.get(DetectionJob.OUT_OF_ORDERNESS),
                futureGuard(input, o.get(DetectionJob.MAX_FUTURE_SKEW)),
                historySource(o, input),
                o.get(RuleTopics.RULE_HORIZON),
                o.get(PARALLELISM),
                // Not given: the environment's own (the heap on the local MiniCluster, the
                // cluster's configuration under flink run).
                o.has(LocalCluster.STATE_BACKEND) ? o.get(LocalCluster.STATE_BACKEND) : null);
    }

    /** Where the replay's rule versions come from. */
    private static BacktestJob.RuleHistorySource historySource(
            Options.Parsed o, ReplayInput input) {
        boolean kafka = input instanceof ReplayInput.Kafka;
        if (o.has(RULES_HISTORY) && o.has(NO_RULES_HISTORY)) {
            throw new UsageException("--rules-history and --no-rules-history: give one");
        }
        if (!kafka) {
            for (Option<?> topicOnly :
                    List.of(RuleTopics.RULES_TOPIC, RuleTopics.APPLIED_TOPIC, NO_RULES_HISTORY)) {
                if (o.has(topicOnly)) {
                    throw new UsageException(
                            "--"
                                    + topicOnly.name()
                                    + " needs a replay from Kafka (--bootstrap-servers); a replay"
                                    + " from files takes --rules-history FILE.jsonl");
                }
            }
        }
        if (o.has(RULES_HISTORY)) {
            return new BacktestJob.RuleHistorySource(o.get(RULES_HISTORY), null, null);
        }
        if (kafka && !o.has(NO_RULES_HISTORY)) {
            return new BacktestJob.RuleHistorySource(
                    null, o.get(RuleTopics.RULES_TOPIC), o.get(RuleTopics.APPLIED_TOPIC));
        }
        return BacktestJob.RuleHistorySource.NONE;
    }

    /**
     * A replay has no wall clock of its own: it judges event times against the end of the range it
     * replays, {@code --until} when that is an instant, otherwise the moment the replay starts
     * (nothing in the log can have been written later than that).
     */
    private static FutureTimestampGuard futureGuard(ReplayInput input, Duration skew) {
        Instant end = WallClock.now();
        if (input instanceof ReplayInput.Kafka kafka && kafka.end().timestamp() != null) {
            end = Instant.ofEpochMilli(kafka.end().timestamp());
        }
        return FutureTimestampGuard.fixed(end, skew);
    }

    private static ReplayInput input(Options.Parsed o) {
        boolean dir = o.has(INPUT);
        boolean files =
                o.has(LOGINS_FILE) || o.has(TRANSACTIONS_FILE) || o.has(ACCOUNT_CHANGES_FILE);
        boolean kafka = o.has(BOOTSTRAP_SERVERS);
        int given = (dir ? 1 : 0) + (files ? 1 : 0) + (kafka ? 1 : 0);
        if (given == 0) {
            throw new UsageException(
                    "--input is required: the directory of the log (or --logins-file,"
                            + " --transactions-file, --account-changes-file, or"
                            + " --bootstrap-servers to replay from Kafka)");
        }
        if (given > 1) {
            List<String> names = new ArrayList<>();
            if (dir) {
                names.add("--input");
            }
            if (files) {
                names.add("--*-file");
            }
            if (kafka) {
                names.add("--bootstrap-servers");
            }
            throw new UsageException(
                    "give one input: --input DIR, the --*-file options, or"
                            + " --bootstrap-servers; not "
                            + String.join(" and ", names));
        }
        if (kafka) {
            return kafkaInput(o);
        }
        for (Option<?> kafkaOnly : List.of(FROM, UNTIL, KafkaSettings.KAFKA_PROPERTIES)) {
            if (o.has(kafkaOnly)) {
                throw new UsageException(
                        "--"
                                + kafkaOnly.name()
                                + " applies to a replay from Kafka (--bootstrap-servers)");
            }
        }
        return new ReplayInput.Files(dir ? filesIn(o) : explicitFiles(o));
    }

    private static ReplayInput.Kafka kafkaInput(Options.Parsed o) {
        KafkaSettings kafka = KafkaSettings.from(o);
        ReplayStart start = o.get(FROM);
        ReplayEnd end = o.get(UNTIL);
        try {
            start.checkTopics(kafka.inputTopics());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--from: " + e.getMessage());
        }
        if (start.kind() == ReplayStart.Kind.TIMESTAMP
                && end.timestamp() != null
                && start.timestamp() >= end.timestamp()) {
            throw new UsageException("--until (" + end + ") must be after --from (" + start + ")");
        }
        return ReplayInput.Kafka.of(kafka, start, end);
    }

    private static List<LogFile> filesIn(Options.Parsed o) {
        Path input = o.get(INPUT);
        if (!Files.isDirectory(input)) {
            throw new UsageException("--input: '" + input + "' is not a directory");
        }
        List<LogFile> files = new ArrayList<>();
        for (Option<String> topic : topicOptions()) {
            Path file = input.resolve(o.get(topic) + ".jsonl");
            if (Files.isRegularFile(file)) {
                files.add(new LogFile(o.get(topic), file.toString()));
            }
        }
        if (files.isEmpty()) {
            throw new UsageException(
                    "--input: '"
                            + input
                            + "' holds none of the topic files (e.g. "
                            + o.get(KafkaSettings.LOGINS_TOPIC)
                            + ".jsonl)");
        }
        return files;
    }

    private static List<LogFile> explicitFiles(Options.Parsed o) {
        List<LogFile> files = new ArrayList<>();
        List<Option<Path>> fileOptions =
                List.of(LOGINS_FILE, TRANSACTIONS_FILE, ACCOUNT_CHANGES_FILE);
        for (int i = 0; i < fileOptions.size(); i++) {
            Path file = o.get(fileOptions.get(i));
            if (file != null) {
                files.add(new LogFile(o.get(topicOptions().get(i)), file.toString()));
            }
        }
        return files;
    }

    private static List<Option<String>> topicOptions() {
        return List.of(
                KafkaSettings.LOGINS_TOPIC,
                KafkaSettings.TRANSACTIONS_TOPIC,
                KafkaSettings.ACCOUNT_CHANGES_TOPIC);
    }

    private static Path pathOrDefault(
            Options.Parsed o, Option<Path> option, String base, String suffix) {
        if (o.has(option)) {
            return o.get(option);
        }
        return base == null ? null : Path.of(base + suffix);
    }
}
