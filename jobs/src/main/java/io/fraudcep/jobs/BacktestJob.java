package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertJson;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.jobs.files.JsonlLogSource;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.io.DeadLetter;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays a historical log through the very same pipeline as {@link DetectionJob}, bounded, in
 * event time, and writes the alerts as JSONL (one alert of alerts.md per line, sorted by
 * detection time and id). At the end of the input the final watermark flushes every pending
 * match, so nothing a live job would alert is lost.
 */
public final class BacktestJob {

    static final Option<Path> INPUT =
            Option.path(
                    "input",
                    "DIR",
                    "directory with one JSONL file per input topic, named <topic>.jsonl");
    static final Option<Path> OUTPUT =
            Option.path("output", "FILE", "alerts as JSONL (required)");
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
    static final Option<Integer> PARALLELISM =
            Option.positiveInt("parallelism", 2, "parallelism of the replay");

    static Options options() {
        return new Options(
                "backtest",
                "Replays a log from files through the detection pipeline and writes the alerts.",
                List.of(
                        INPUT,
                        OUTPUT,
                        DEAD_LETTERS,
                        LATE_EVENTS,
                        KafkaSettings.LOGINS_TOPIC,
                        KafkaSettings.TRANSACTIONS_TOPIC,
                        KafkaSettings.ACCOUNT_CHANGES_TOPIC,
                        DetectionJob.PATTERNS,
                        DetectionJob.OUT_OF_ORDERNESS,
                        PARALLELISM));
    }

    /**
     * A validated backtest.
     *
     * @param files the log's files
     * @param output alerts file
     * @param deadLetters dead-letter file
     * @param lateEvents late-event file
     * @param catalogue patterns in force
     * @param outOfOrderness watermark bound
     * @param parallelism replay parallelism
     */
    public record Config(
            List<LogFile> files,
            Path output,
            Path deadLetters,
            Path lateEvents,
            PatternCatalogue catalogue,
            Duration outOfOrderness,
            int parallelism) {

        public static Config parse(String... args) {
            Options.Parsed o = options().parse(args);
            Path input = o.get(INPUT);
            if (input == null) {
                throw new UsageException("--input is required: the directory of the log");
            }
            if (!Files.isDirectory(input)) {
                throw new UsageException("--input: '" + input + "' is not a directory");
            }
            Path output = o.get(OUTPUT);
            if (output == null) {
                throw new UsageException("--output is required: the alerts file to write");
            }
            List<LogFile> files = new ArrayList<>();
            for (Option<String> topic :
                    List.of(
                            KafkaSettings.LOGINS_TOPIC,
                            KafkaSettings.TRANSACTIONS_TOPIC,
                            KafkaSettings.ACCOUNT_CHANGES_TOPIC)) {
                Path file = input.resolve(o.get(topic) + ".jsonl");
                if (Files.isRegularFile(file)) {
                    files.add(new LogFile(o.get(topic), file.toString()));
                }
            }
            if (files.isEmpty()) {
                throw new UsageException(
                        "--input: '" + input + "' holds none of the topic files (e.g. "
                                + o.get(KafkaSettings.LOGINS_TOPIC) + ".jsonl)");
            }
            Path patterns = o.get(DetectionJob.PATTERNS);
            PatternCatalogue catalogue;
            try {
                catalogue =
                        patterns == null
                                ? PatternCatalogue.defaults()
                                : PatternCatalogue.load(patterns);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--patterns: " + e.getMessage());
            }
            String base = output.toString().replaceFirst("\\.jsonl$", "");
            return new Config(
                    files,
                    output,
                    o.has(DEAD_LETTERS) ? o.get(DEAD_LETTERS) : Path.of(base + ".dead-letters.jsonl"),
                    o.has(LATE_EVENTS) ? o.get(LATE_EVENTS) : Path.of(base + ".late-events.jsonl"),
                    catalogue,
                    o.get(DetectionJob.OUT_OF_ORDERNESS),
                    o.get(PARALLELISM));
        }
    }

    /**
     * What a backtest produced.
     *
     * @param alerts the alerts, sorted by detection time and id
     * @param deadLetters rejected records
     * @param lateEvents events behind the watermark
     * @param eventsRead records read
     * @param duplicates duplicates dropped
     * @param elapsed wall-clock duration of the job
     */
    public record Result(
            List<Alert> alerts,
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
        } catch (UsageException e) {
            System.err.println("backtest: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result result = run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        write(config, result);
        printSummary(config, result);
    }

    /** Runs the replay on {@code env} and brings its outputs back. */
    public static Result run(StreamExecutionEnvironment env, Config config) throws Exception {
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline);
        env.setParallelism(config.parallelism());
        DataStream<SourceRecord> records =
                env.fromSource(
                                new JsonlLogSource(config.files()),
                                FraudPipeline.watermarks(config.outOfOrderness(), null),
                                "file-source")
                        .uid("file-source")
                        .setParallelism(1);
        FraudPipeline.Streams streams =
                FraudPipeline.defineWorkflow(records, config.catalogue(), EnrichmentSettings.DEFAULTS);
        TypeInformation<BacktestOutput> type = TypeInformation.of(BacktestOutput.class);
        DataStream<BacktestOutput> outputs =
                streams.alerts()
                        .map(BacktestOutput::ofAlert)
                        .returns(type)
                        .union(
                                streams.deadLetters().map(BacktestOutput::ofDeadLetter).returns(type),
                                streams.lateEvents().map(BacktestOutput::ofLateEvent).returns(type));
        long start = System.nanoTime();
        List<Alert> alerts = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<UserEvent> late = new ArrayList<>();
        JobExecutionResult jobResult;
        try (CloseableIterator<BacktestOutput> it = outputs.collectAsync()) {
            JobClient client = env.executeAsync("fraud-backtest");
            while (it.hasNext()) {
                BacktestOutput o = it.next();
                if (o.alert() != null) {
                    alerts.add(o.alert());
                } else if (o.deadLetter() != null) {
                    deadLetters.add(o.deadLetter());
                } else {
                    late.add(o.lateEvent());
                }
            }
            jobResult = client.getJobExecutionResult().get();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        alerts.sort(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId));
        return new Result(
                alerts,
                deadLetters,
                late,
                counter(jobResult, FraudPipeline.EVENTS_READ),
                counter(jobResult, FraudPipeline.DUPLICATES),
                elapsed);
    }

    private static long counter(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0L : ((Number) v).longValue();
    }

    /** Writes alerts, dead letters and late events as JSONL. */
    public static void write(Config config, Result result) throws IOException {
        Instant now = WallClock.now();
        writeLines(config.output(), result.alerts().stream().map(a -> AlertJson.toJson(a, now)).toList());
        writeLines(
                config.deadLetters(),
                result.deadLetters().stream()
                        .map(d -> new String(OutputJson.deadLetter(d, now), StandardCharsets.UTF_8))
                        .toList());
        writeLines(config.lateEvents(), result.lateEvents().stream().map(EventCodec::toJson).toList());
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

    static void printSummary(Config config, Result r) {
        double seconds = r.elapsed().toNanos() / 1e9;
        System.out.printf(
                "Backtest: %d records read in %.1f s (%.0f records/s), %d alerts, %d dead letters,"
                        + " %d duplicates, %d late events.%n",
                r.eventsRead(),
                seconds,
                r.eventsRead() / Math.max(seconds, 1e-9),
                r.alerts().size(),
                r.deadLetters().size(),
                r.duplicates(),
                r.lateEvents().size());
        r.alertsPerPattern().forEach((p, n) -> System.out.printf("  %-18s %d%n", p, n));
        System.out.println("Alerts:       " + config.output());
        System.out.println("Dead letters: " + config.deadLetters());
        System.out.println("Late events:  " + config.lateEvents());
    }
}
