package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertJson;
import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.jobs.backtest.BacktestReport;
import io.fraudcep.jobs.backtest.DuplicateCounter;
import io.fraudcep.jobs.backtest.LabelledScenario;
import io.fraudcep.jobs.backtest.Labels;
import io.fraudcep.jobs.backtest.ReplayEnd;
import io.fraudcep.jobs.backtest.ReplayInput;
import io.fraudcep.jobs.backtest.ReplayOutput;
import io.fraudcep.jobs.backtest.ReplayStart;
import io.fraudcep.jobs.backtest.ReportHtml;
import io.fraudcep.jobs.backtest.ReportJson;
import io.fraudcep.jobs.backtest.ReportText;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.OutputJson;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.jobs.io.WallClock;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.UserEvent;
import io.fraudcep.patterns.PatternCatalogue;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays a historical log through the very same pipeline as {@link DetectionJob}, bounded, in
 * event time, from JSONL files or from a range of the Kafka input topics, and writes the alerts as
 * JSONL (one alert of alerts.md per line, sorted by detection time and id) or to a topic. At the
 * end of the input the final watermark flushes every pending match, so nothing a live job would
 * alert is lost.
 *
 * <p>With {@code --labels} it scores the alerts against the generator's labels; with {@code
 * --compare-patterns} it runs a second pattern configuration on the same parsed events in the same
 * pass and compares the two. Either way it prints a report and writes it as JSON and as a
 * self-contained HTML page.
 */
public final class BacktestJob {

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
    static final Option<Path> OUTPUT = Option.path("output", "FILE", "alerts as JSONL");
    static final Option<String> ALERTS_TOPIC =
            Option.text(
                    "alerts-topic",
                    null,
                    "Kafka replay: write the alerts to this topic (at least once)");
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
    static final Option<Path> COMPARE_PATTERNS =
            Option.existingFile(
                    "compare-patterns",
                    "what-if: a second pattern configuration run in the same pass, compared");
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

    /** Uid prefix of the what-if configuration's detection graph. */
    static final String WHAT_IF_UID_PREFIX = "what-if-";

    static Options options() {
        return new Options(
                "backtest",
                "Replays a log from files or Kafka through the detection pipeline, writes the"
                        + " alerts and reports them\n(scored with --labels, compared with a second"
                        + " configuration with --compare-patterns).",
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
                        DEAD_LETTERS,
                        LATE_EVENTS,
                        DetectionJob.PATTERNS,
                        COMPARE_PATTERNS,
                        LABELS,
                        REPORT_JSON,
                        REPORT_HTML,
                        DetectionJob.OUT_OF_ORDERNESS,
                        DetectionJob.MAX_FUTURE_SKEW,
                        PARALLELISM));
    }

    /**
     * A validated backtest.
     *
     * @param input what to replay
     * @param output alerts file, or null
     * @param alertsTopic alerts topic (Kafka replays only), or null
     * @param deadLetters dead-letter file, or null
     * @param lateEvents late-event file, or null
     * @param catalogue patterns in force (configuration A)
     * @param patternsFile their file, or null for the shipped defaults
     * @param whatIf configuration B, or null
     * @param whatIfFile its file, or null
     * @param labels labels to score against, or null
     * @param labelsFile their file, or null
     * @param reportJson report JSON file, or null
     * @param reportHtml report HTML file, or null
     * @param outOfOrderness watermark bound
     * @param futureGuard rejects events implausibly far ahead of the end of the replayed range
     * @param parallelism replay parallelism
     */
    public record Config(
            ReplayInput input,
            Path output,
            String alertsTopic,
            Path deadLetters,
            Path lateEvents,
            PatternCatalogue catalogue,
            Path patternsFile,
            PatternCatalogue whatIf,
            Path whatIfFile,
            List<LabelledScenario> labels,
            Path labelsFile,
            Path reportJson,
            Path reportHtml,
            Duration outOfOrderness,
            FutureTimestampGuard futureGuard,
            int parallelism) {

        /** Parses and validates arguments; throws {@link UsageException} naming the option. */
        public static Config parse(String... args) {
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
                    throw new UsageException(
                            "--alerts-topic: '" + alertsTopic + "' is an input topic");
                }
                input = withAlertsTopic(kafka, alertsTopic);
            }
            String base = output == null ? null : output.toString().replaceFirst("\\.jsonl$", "");
            Path patternsFile = o.get(DetectionJob.PATTERNS);
            Path whatIfFile = o.get(COMPARE_PATTERNS);
            Path labelsFile = o.get(LABELS);
            List<LabelledScenario> labels = null;
            if (labelsFile != null) {
                try {
                    labels = Labels.read(labelsFile);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--labels: " + e.getMessage());
                }
            }
            return new Config(
                    input,
                    output,
                    alertsTopic,
                    pathOrDefault(o, DEAD_LETTERS, base, ".dead-letters.jsonl"),
                    pathOrDefault(o, LATE_EVENTS, base, ".late-events.jsonl"),
                    catalogue(patternsFile, "--patterns"),
                    patternsFile,
                    whatIfFile == null ? null : catalogue(whatIfFile, "--compare-patterns"),
                    whatIfFile,
                    labels,
                    labelsFile,
                    pathOrDefault(o, REPORT_JSON, base, ".report.json"),
                    pathOrDefault(o, REPORT_HTML, base, ".report.html"),
                    o.get(DetectionJob.OUT_OF_ORDERNESS),
                    futureGuard(input, o.get(DetectionJob.MAX_FUTURE_SKEW)),
                    o.get(PARALLELISM));
        }

        /**
         * A replay has no wall clock of its own: it judges event times against the end of the range
         * it replays, {@code --until} when that is an instant, otherwise the moment the replay
         * starts (nothing in the log can have been written later than that).
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
            if (!kafka) {
                for (Option<?> kafkaOnly : List.of(FROM, UNTIL, KafkaSettings.KAFKA_PROPERTIES)) {
                    if (o.has(kafkaOnly)) {
                        throw new UsageException(
                                "--"
                                        + kafkaOnly.name()
                                        + " applies to a replay from Kafka"
                                        + " (--bootstrap-servers)");
                    }
                }
            }
            if (kafka) {
                return kafkaInput(o);
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
                throw new UsageException(
                        "--until (" + end + ") must be after --from (" + start + ")");
            }
            return ReplayInput.Kafka.of(kafka, start, end);
        }

        private static ReplayInput.Kafka withAlertsTopic(ReplayInput.Kafka in, String topic) {
            KafkaSettings k = in.kafka();
            return new ReplayInput.Kafka(
                    new KafkaSettings(
                            k.bootstrapServers(),
                            k.loginsTopic(),
                            k.transactionsTopic(),
                            k.accountChangesTopic(),
                            topic,
                            k.deadLetterTopic(),
                            k.lateEventsTopic(),
                            k.clientProperties()),
                    in.start(),
                    in.end(),
                    in.groupId());
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

        private static PatternCatalogue catalogue(Path file, String option) {
            try {
                return file == null ? PatternCatalogue.defaults() : PatternCatalogue.load(file);
            } catch (IllegalArgumentException e) {
                throw new UsageException(option + ": " + e.getMessage());
            }
        }

        private static Path pathOrDefault(
                Options.Parsed o, Option<Path> option, String base, String suffix) {
            if (o.has(option)) {
                return o.get(option);
            }
            return base == null ? null : Path.of(base + suffix);
        }

        /** "defaults (version 1)" or "FILE (version 2)". */
        public String describePatterns() {
            return describe(patternsFile, catalogue);
        }

        /** The what-if configuration, described like {@link #describePatterns}, or null. */
        public String describeWhatIf() {
            return whatIf == null ? null : describe(whatIfFile, whatIf);
        }

        private static String describe(Path file, PatternCatalogue c) {
            return (file == null ? "defaults" : file.toString()) + " (version " + c.version() + ")";
        }
    }

    /**
     * What a backtest produced.
     *
     * @param alerts the alerts of the patterns in force, sorted by detection time and id
     * @param whatIfAlerts the alerts of the what-if configuration, sorted alike (empty without)
     * @param deadLetters rejected records
     * @param lateEvents events behind the watermark
     * @param eventsRead records read
     * @param duplicates duplicates dropped
     * @param elapsed wall-clock duration of the job
     */
    public record Result(
            List<Alert> alerts,
            List<Alert> whatIfAlerts,
            List<DeadLetter> deadLetters,
            List<UserEvent> lateEvents,
            long eventsRead,
            long duplicates,
            Duration elapsed) {

        public Map<String, Integer> alertsPerPattern() {
            Map<String, Integer> counts = new TreeMap<>();
            for (Alert a : alerts) {
                counts.merge(a.patternId(), 1, Integer::sum);
            }
            return counts;
        }
    }

    private BacktestJob() {}

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(options().help());
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
            if (config.input() instanceof ReplayInput.Kafka kafka) {
                kafka.checkTopicsExist(Duration.ofSeconds(30));
            }
        } catch (UsageException | IllegalStateException e) {
            System.err.println("backtest: " + e.getMessage());
            System.exit(e instanceof UsageException ? 2 : 1);
            return;
        }
        Result result = run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        write(config, result);
        BacktestReport report = report(config, result);
        System.out.print(ReportText.render(report));
        writeReport(config, report);
        System.out.println();
        printFile("Alerts:       ", config.output());
        if (config.alertsTopic() != null) {
            System.out.println("Alerts topic: " + config.alertsTopic());
        }
        printFile("Dead letters: ", config.deadLetters());
        printFile("Late events:  ", config.lateEvents());
        printFile("Report JSON:  ", config.reportJson());
        printFile("Report HTML:  ", config.reportHtml());
    }

    private static void printFile(String label, Path file) {
        if (file != null) {
            System.out.println(label + file);
        }
    }

    /** Runs the replay on {@code env} and brings its outputs back. */
    public static Result run(StreamExecutionEnvironment env, Config config) throws Exception {
        FraudPipeline.configure(env);
        env.setParallelism(config.parallelism());

        DataStream<SourceRecord> records =
                config.input().records(env, config.outOfOrderness(), config.futureGuard());
        // FraudPipeline.defineWorkflow, split in two so that a what-if graph shares the parse.
        FraudPipeline.Parsed parsed = FraudPipeline.parse(records);
        DetectionGraph.Outputs a =
                DetectionGraph.build(
                        parsed.events(), config.catalogue(), EnrichmentSettings.DEFAULTS);
        if (config.alertsTopic() != null) {
            KafkaSettings kafka = ((ReplayInput.Kafka) config.input()).kafka();
            a.alerts()
                    .sinkTo(kafka.alertSink(DeliveryGuarantee.AT_LEAST_ONCE, "fraud-backtest"))
                    .name("alert-sink")
                    .uid("alert-sink");
        }
        TypeInformation<ReplayOutput> type = TypeInformation.of(ReplayOutput.class);
        List<DataStream<ReplayOutput>> more = new ArrayList<>();
        more.add(parsed.deadLetters().map(ReplayOutput::ofDeadLetter).returns(type));
        more.add(a.lateEvents().map(ReplayOutput::ofLateEvent).returns(type));
        more.add(
                a.duplicates()
                        .process(new DuplicateCounter())
                        .returns(type)
                        .name("count-duplicates"));
        if (config.whatIf() != null) {
            DetectionGraph.Outputs b =
                    DetectionGraph.build(
                            parsed.events(),
                            config.whatIf(),
                            EnrichmentSettings.DEFAULTS,
                            WHAT_IF_UID_PREFIX);
            more.add(b.alerts().map(ReplayOutput::ofWhatIfAlert).returns(type));
        }
        @SuppressWarnings("unchecked")
        DataStream<ReplayOutput>[] rest = more.toArray(new DataStream[0]);
        DataStream<ReplayOutput> outputs =
                a.alerts().map(ReplayOutput::ofAlert).returns(type).union(rest);

        long start = System.nanoTime();
        List<Alert> alerts = new ArrayList<>();
        List<Alert> whatIfAlerts = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<UserEvent> late = new ArrayList<>();
        JobExecutionResult jobResult;
        try (CloseableIterator<ReplayOutput> it = outputs.collectAsync()) {
            JobClient client = env.executeAsync("fraud-backtest");
            while (it.hasNext()) {
                ReplayOutput o = it.next();
                if (o.alert() != null) {
                    alerts.add(o.alert());
                } else if (o.whatIfAlert() != null) {
                    whatIfAlerts.add(o.whatIfAlert());
                } else if (o.deadLetter() != null) {
                    deadLetters.add(o.deadLetter());
                } else if (o.lateEvent() != null) {
                    late.add(o.lateEvent());
                }
            }
            jobResult = client.getJobExecutionResult().get();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Comparator<Alert> order =
                Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId);
        alerts.sort(order);
        whatIfAlerts.sort(order);
        return new Result(
                alerts,
                whatIfAlerts,
                deadLetters,
                late,
                counter(jobResult, FraudPipeline.EVENTS_READ),
                counter(jobResult, DuplicateCounter.ACCUMULATOR),
                elapsed);
    }

    private static long counter(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0L : ((Number) v).longValue();
    }

    /** Writes alerts, dead letters and late events as JSONL, to the files the config names. */
    public static void write(Config config, Result result) throws IOException {
        Instant now = WallClock.now();
        if (config.output() != null) {
            writeLines(
                    config.output(),
                    result.alerts().stream().map(a -> AlertJson.toJson(a, now)).toList());
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
    public static BacktestReport report(Config config, Result result) {
        BacktestReport.Run run =
                new BacktestReport.Run(
                        config.input().describe(),
                        config.parallelism(),
                        config.describePatterns(),
                        config.describeWhatIf(),
                        config.labelsFile() == null ? null : config.labelsFile().toString(),
                        WallClock.now(),
                        result.eventsRead(),
                        result.elapsed(),
                        result.alerts().size(),
                        result.deadLetters().size(),
                        result.lateEvents().size(),
                        result.duplicates());
        return BacktestReport.of(
                run,
                config.catalogue(),
                config.whatIf(),
                result.alerts(),
                result.whatIfAlerts(),
                config.labels());
    }

    /** Writes the report's JSON and HTML to the files the config names. */
    public static void writeReport(Config config, BacktestReport report) throws IOException {
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
