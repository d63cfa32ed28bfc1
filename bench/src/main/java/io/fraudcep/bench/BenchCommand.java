package io.fraudcep.bench;

import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.sampledata.GeneratorOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bin/fraud bench}: the benchmark of issue 7 on a local MiniCluster and Kafka broker.
 *
 * <p>Throughput: generates (once, cached) a log of the generator's realistic mix, loads it into the
 * three input topics and measures, on the same broker and cluster and at the same parallelism, the
 * limit (source and parse only), the pipeline from Kafka and from files, and a naive baseline
 * ({@link NaiveBaseline}); then the checkpointed state per user from a savepoint. On request
 * ({@code --only pipeline-kafka-versions}), the DetectionJob running unbounded while {@code
 * --rule-versions} rule versions are published on its control topic, against the same run without
 * them. Latency: the DetectionJob under a live load at a fixed rate, latency from the append of
 * each alert's triggering event to the append of the alert. {@code --mode all} (the default) runs
 * both and ends with one summary of the figures the targets name.
 */
public final class BenchCommand {

    /** What one invocation measures. */
    enum Mode {
        ALL,
        THROUGHPUT,
        LATENCY,
        SCALE
    }

    static final Option<Mode> MODE =
            Option.choice(
                    "mode",
                    Mode.class,
                    Mode.ALL,
                    "all: throughput, then live latency, then one summary; or only one of them;"
                            + " scale: state of up to --users users (not part of all)");
    static final Option<Path> WORK_DIR =
            Option.path(
                    "work-dir",
                    "DIR",
                    "cache of generated logs, broker data, checkpoints and savepoints (default:"
                            + " <java.io.tmpdir>/fraud-cep-bench)");
    static final Option<Path> JSON = Option.path("json", "FILE", "also write the results as JSON");
    static final Option<Integer> PARALLELISM =
            Option.positiveInt("parallelism", 2, "parallelism of every job");
    static final Option<Integer> PARTITIONS =
            Option.positiveInt("partitions", 4, "partitions of each input topic");
    static final Option<Broker.Kind> BROKER =
            Option.choice(
                    "broker",
                    Broker.Kind.class,
                    Broker.Kind.PROCESS,
                    "process: kafka.Kafka in a child JVM; embedded: EmbeddedKafka in this JVM");
    static final Option<Duration> WATERMARK_INTERVAL =
            Option.duration(
                    "watermark-interval",
                    null,
                    "pipeline.auto-watermark-interval of every job (default: the DetectionJob's"
                            + " --watermark-interval for it, Flink's 200ms for the others)");
    static final Option<Duration> BUFFER_TIMEOUT =
            Option.nonNegativeDuration(
                    "buffer-timeout",
                    null,
                    "execution.buffer-timeout.interval of every job (default: the DetectionJob's"
                            + " --buffer-timeout for it, Flink's 100ms for the others)");

    static final Option<BenchStateBackend> STATE_BACKEND =
            Option.custom(
                    "state-backend",
                    "hashmap|rocksdb|forst",
                    BenchStateBackend.HASHMAP,
                    "keyed state backend of every pipeline run: hashmap, rocksdb (the cluster's"
                            + " profile flink-conf/conf/rocksdb.yaml), or forst",
                    BenchStateBackend::parse);

    // Throughput mode.
    static final Option<Integer> USERS =
            Option.positiveInt(
                    "users",
                    62_500,
                    "throughput: users of the generated log; scale: users of the largest step"
                            + " (default 2000000)");
    static final Option<Integer> DAYS =
            Option.positiveInt(
                    "days",
                    30,
                    "throughput: days of the generated log (~2.7 events per user and day)");
    static final Option<Integer> SEED = Option.positiveInt("seed", 1, "throughput: generator seed");
    static final Option<Integer> RUNS =
            Option.positiveInt(
                    "runs", 3, "throughput: runs of each measurement (the median is reported)");
    static final Option<String> ONLY =
            Option.text(
                    "only",
                    "limit,pipeline-kafka,pipeline-files,naive",
                    "throughput: the measurements to run, comma-separated; also"
                            + " pipeline-kafka-versions: the DetectionJob unbounded while"
                            + " --rule-versions versions are published on its control topic,"
                            + " compared with pipeline-kafka-live, the same without (run next to"
                            + " it in each round)");
    static final Option<Integer> RULE_VERSIONS =
            Option.positiveInt(
                    "rule-versions",
                    50,
                    "throughput: rule versions pipeline-kafka-versions publishes during each run");
    static final Option<Boolean> NO_STATE =
            Option.flag("no-state", "throughput: skip the savepoint state measurement");
    static final Option<Path> PROFILE =
            Option.path(
                    "profile",
                    "FILE",
                    "throughput: record one extra pipeline-from-Kafka run with JFR (settings"
                            + " 'profile') into FILE and print its top CPU and allocation costs");
    static final Option<Double> DISTURBED =
            Option.custom(
                    "disturbed-above",
                    "CORES",
                    0.25,
                    "throughput: a run during which other processes of the machine used more than"
                            + " this many cores on average is marked DISTURBED and measured again"
                            + " (see --retries)",
                    v -> {
                        double d;
                        try {
                            d = Double.parseDouble(v.trim());
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("must be a number, not '" + v + "'");
                        }
                        if (!(d >= 0)) {
                            throw new IllegalArgumentException("must not be negative");
                        }
                        return d;
                    });
    static final Option<Integer> RETRIES =
            Option.nonNegativeInt(
                    "retries",
                    2,
                    "throughput: how often a DISTURBED run is measured again (0: never)");
    static final Option<Path> JFR_SUMMARY =
            Option.existingFile(
                    "jfr-summary", "print the top CPU and allocation costs of a JFR file and exit");

    // Scale mode.
    static final Option<String> STEPS =
            Option.text(
                    "steps",
                    null,
                    "scale: user counts measured in turn, comma-separated (default: those of"
                            + " 200000,500000,1000000,2000000 below --users, then --users)");
    static final Option<Integer> SCALE_EVENTS =
            Option.positiveInt(
                    "scale-events",
                    1_000_000,
                    "scale: events of the measured part of each step, after the prefix that gives"
                            + " every user state");
    static final Option<Duration> CHECKPOINT_INTERVAL =
            Option.duration(
                    "checkpoint-interval",
                    Duration.ofSeconds(10),
                    "scale: checkpoint interval of the job while it reads the measured part");

    // Latency mode.
    static final Option<Integer> RATE =
            Option.positiveInt("rate", 10_000, "latency: events per second of the live load");
    static final Option<Duration> DURATION =
            Option.duration(
                    "duration", Duration.ofSeconds(60), "latency: measured part of each run");
    static final Option<Duration> WARM_UP =
            Option.duration(
                    "warm-up", Duration.ofSeconds(10), "latency: load before the measured part");
    static final Option<Integer> BACKGROUND_USERS =
            Option.positiveInt(
                    "background-users",
                    100_000,
                    "latency: users of the background load (at least 8 x rate, so that none of"
                            + " them fires a pattern)");
    static final Option<Duration> BURST_EVERY =
            Option.duration("burst-every", Duration.ofMillis(200), "latency: a fraud burst every");
    static final Option<String> MODES =
            Option.text(
                    "modes",
                    "at-least-once,at-least-once-ordered,exactly-once,exactly-once-ordered",
                    "latency: configurations to run (ordered = --out-of-orderness 0;"
                            + " exactly-once uses --checkpoint-interval 1s)");

    static Options options() {
        return new Options(
                "bin/fraud bench",
                "Benchmarks the pipeline against Flink's limit and a naive baseline (throughput)"
                        + " and under a live load (latency), on a local MiniCluster and Kafka.",
                List.of(
                        MODE,
                        WORK_DIR,
                        JSON,
                        PARALLELISM,
                        PARTITIONS,
                        BROKER,
                        WATERMARK_INTERVAL,
                        BUFFER_TIMEOUT,
                        STATE_BACKEND,
                        USERS,
                        DAYS,
                        SEED,
                        RUNS,
                        ONLY,
                        RULE_VERSIONS,
                        NO_STATE,
                        PROFILE,
                        DISTURBED,
                        RETRIES,
                        JFR_SUMMARY,
                        STEPS,
                        SCALE_EVENTS,
                        CHECKPOINT_INTERVAL,
                        RATE,
                        DURATION,
                        WARM_UP,
                        BACKGROUND_USERS,
                        BURST_EVERY,
                        MODES));
    }

    private BenchCommand() {}

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(options().help());
            return;
        }
        try {
            System.exit(run(System.out, args));
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the bench, printing to {@code out}; returns the exit code. */
    static int run(PrintStream out, String... args) throws Exception {
        Options.Parsed o = options().parse(args);
        if (o.has(JFR_SUMMARY)) {
            JfrSummary.read(o.get(JFR_SUMMARY)).print(out, 30);
            return 0;
        }
        Path workDir =
                o.get(WORK_DIR) != null
                        ? o.get(WORK_DIR)
                        : Path.of(System.getProperty("java.io.tmpdir"), "fraud-cep-bench");
        workDir = workDir.toAbsolutePath();
        Mode mode = o.get(MODE);
        if (mode == Mode.SCALE) {
            int users = o.has(USERS) ? o.get(USERS) : 2_000_000;
            ScaleBench.Settings s =
                    new ScaleBench.Settings(
                            workDir,
                            o.has(STEPS)
                                    ? steps(o.get(STEPS), users)
                                    : ScaleBench.defaultSteps(users),
                            o.get(SCALE_EVENTS),
                            o.get(CHECKPOINT_INTERVAL),
                            o.get(PARALLELISM),
                            o.get(PARTITIONS),
                            o.get(BROKER),
                            o.get(STATE_BACKEND),
                            o.get(SEED));
            ScaleBench.Result scale = new ScaleBench(s, out).run();
            BenchReport.print(scale, out);
            if (o.get(JSON) != null) {
                BenchReport.write(BenchReport.json(scale), o.get(JSON));
                out.println("JSON: " + o.get(JSON));
            }
            return 0;
        }
        if (mode != Mode.THROUGHPUT && o.get(BACKGROUND_USERS) < 8L * o.get(RATE)) {
            throw new UsageException(
                    "--background-users must be at least 8 x --rate ("
                            + 8L * o.get(RATE)
                            + "): fewer users act so often that VELOCITY fires on the"
                            + " background");
        }
        ThroughputBench.Result throughput = null;
        LatencyBench.Result latency = null;
        if (mode != Mode.LATENCY) {
            GeneratorOptions log =
                    GeneratorOptions.builder()
                            .users(o.get(USERS))
                            .days(o.get(DAYS))
                            .seed(o.get(SEED))
                            .build();
            ThroughputBench.Settings s =
                    new ThroughputBench.Settings(
                            workDir,
                            log,
                            o.get(PARALLELISM),
                            o.get(PARTITIONS),
                            o.get(RUNS),
                            o.get(BROKER),
                            kinds(o.get(ONLY)),
                            !o.get(NO_STATE),
                            o.get(PROFILE),
                            o.get(WATERMARK_INTERVAL),
                            o.get(BUFFER_TIMEOUT),
                            o.get(DISTURBED),
                            o.get(RETRIES),
                            o.get(RULE_VERSIONS),
                            o.get(STATE_BACKEND));
            throughput = new ThroughputBench(s, out).run();
            BenchReport.print(throughput, out);
        }
        if (mode != Mode.THROUGHPUT) {
            LatencyBench.Settings s =
                    new LatencyBench.Settings(
                            workDir,
                            o.get(PARALLELISM),
                            o.get(PARTITIONS),
                            o.get(BROKER),
                            modes(o.get(MODES)),
                            o.get(RATE),
                            o.get(BACKGROUND_USERS),
                            o.get(DURATION),
                            o.get(WARM_UP),
                            o.get(BURST_EVERY),
                            o.get(WATERMARK_INTERVAL),
                            o.get(BUFFER_TIMEOUT),
                            o.get(STATE_BACKEND));
            latency = new LatencyBench(s, out).run();
            BenchReport.print(latency, out);
        }
        if (throughput != null && latency != null) {
            BenchReport.printSummary(throughput, latency, out);
        }
        if (o.get(JSON) != null) {
            BenchReport.write(BenchReport.json(throughput, latency), o.get(JSON));
            out.println("JSON: " + o.get(JSON));
        }
        if (throughput != null && o.get(PROFILE) != null) {
            out.println();
            out.println("Profile of the pipeline-from-Kafka run: " + o.get(PROFILE));
            JfrSummary.read(o.get(PROFILE)).print(out, 30);
        }
        return 0;
    }

    private static List<ThroughputBench.Kind> kinds(String list) {
        List<ThroughputBench.Kind> kinds = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                kinds.add(ThroughputBench.Kind.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--only: '"
                                + name
                                + "' is not one of "
                                + Arrays.stream(ThroughputBench.Kind.values())
                                        .map(
                                                k ->
                                                        k.name()
                                                                .toLowerCase(Locale.ROOT)
                                                                .replace('_', '-'))
                                        .collect(Collectors.joining(", ")));
            }
        }
        return ThroughputBench.withTwins(kinds);
    }

    private static List<Integer> steps(String list, int users) {
        List<Integer> steps = new ArrayList<>();
        for (String s : list.split(",")) {
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--steps: '" + s + "' is not a number of users");
            }
            if (n <= 0 || n > users) {
                throw new UsageException(
                        "--steps: " + n + " must be between 1 and --users (" + users + ")");
            }
            if (!steps.isEmpty() && n <= steps.get(steps.size() - 1)) {
                throw new UsageException("--steps must grow: " + n + " after " + steps);
            }
            steps.add(n);
        }
        return steps;
    }

    private static List<LatencyBench.Mode> modes(String list) {
        List<LatencyBench.Mode> modes = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                modes.add(LatencyBench.Mode.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--modes: '"
                                + name
                                + "' is not one of at-least-once,"
                                + " at-least-once-ordered, exactly-once, exactly-once-ordered");
            }
        }
        return modes;
    }
}
