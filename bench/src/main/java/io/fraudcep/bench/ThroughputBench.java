package io.fraudcep.bench;

import com.sun.management.OperatingSystemMXBean;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.LoadReport;
import io.fraudcep.sampledata.LogLoader;
import io.fraudcep.sampledata.TopicNames;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The throughput mode of {@code bin/fraud bench}: one generated log, one broker, one MiniCluster,
 * and the four measurements of issue 7 run in turn (interleaved, so drift in JIT, page cache or GC
 * affects them alike), then the state measurement and, if asked, a profiled pipeline run.
 */
final class ThroughputBench {

    /** What is measured. */
    enum Kind {
        LIMIT("limit: KafkaSource + KafkaLogDeserializer -> discard"),
        PIPELINE_KAFKA("pipeline from Kafka: DetectionJob, --stop-at latest, at-least-once"),
        PIPELINE_FILES("pipeline from files: BacktestJob --input"),
        NAIVE("naive baseline: 9 CEP operators, every event to every pattern");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The settings of a throughput bench. */
    record Settings(
            Path workDir,
            io.fraudcep.sampledata.GeneratorOptions log,
            int parallelism,
            int partitions,
            int runs,
            Broker.Kind broker,
            List<Kind> kinds,
            boolean state,
            Path profile,
            Duration watermarkInterval,
            Duration bufferTimeout,
            double disturbedAboveCores,
            int retriesIfDisturbed) {}

    /** One measured run. */
    record Run(
            Kind kind,
            int index,
            long events,
            long elapsedNanos,
            long runningNanos,
            long peakHeapBytes,
            long peakHeapAfterGcBytes,
            long jvmCpuNanos,
            long brokerCpuNanos,
            long otherCpuNanos,
            Map<String, Long> counters) {

        /** Events per second while all tasks ran (from submission if that was not seen). */
        double eventsPerSecond() {
            return events * 1e9 / (runningNanos > 0 ? runningNanos : elapsedNanos);
        }

        /** Events per second from submission to the end, start-up included. */
        double eventsPerSecondFromSubmission() {
            return events * 1e9 / elapsedNanos;
        }
    }

    /** The state measurement. */
    record State(
            SavepointStats savepoint,
            long users,
            long activeLastDay,
            long eventsRead,
            long catchUpNanos) {

        double bytesPerUser() {
            return savepoint.bytesOnDisk() / (double) users;
        }

        double bytesPerActiveUser() {
            return savepoint.bytesOnDisk() / (double) activeLastDay;
        }
    }

    /** Everything a throughput bench measured. */
    record Result(
            Settings settings,
            BenchLog log,
            String broker,
            LoadReport load,
            Map<Kind, List<Run>> runs,
            List<Run> disturbed,
            Run profiled,
            State state) {}

    private static final String NAIVE_ALERTS = "bench-naive-alerts";
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    private final Settings settings;
    private final PrintStream out;
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    ThroughputBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    Result run() throws Exception {
        Files.createDirectories(settings.workDir());
        BenchLog log = BenchLog.prepare(settings.workDir(), settings.log(), out);
        out.printf(
                "Log: %,d events, %,d users (%,d active in the last 24 h of event time), %s to %s,"
                        + " %,d MB%n",
                log.events(),
                log.users(),
                log.activeLastDay(),
                log.firstEvent(),
                log.lastEvent(),
                log.bytes() >> 20);
        try (Broker broker = Broker.start(settings.broker(), settings.workDir())) {
            String bootstrap = broker.bootstrapServers();
            out.printf("Broker: %s at %s%n", broker.describe(), bootstrap);
            TopicNames topics = TopicNames.defaults();
            EmbeddedKafka.createTopics(
                    bootstrap,
                    settings.partitions(),
                    Map.of(),
                    topics.logins(),
                    topics.transactions(),
                    topics.accountChanges());
            EmbeddedKafka.createTopics(
                    bootstrap,
                    1,
                    Map.of("message.timestamp.type", "LogAppendTime"),
                    "fraud-alerts",
                    "fraud-alerts-shadow",
                    "fraud-dead-letters",
                    "fraud-late-events",
                    NAIVE_ALERTS);
            KafkaWarmUp.coordinators(bootstrap);
            Properties producer = new Properties();
            producer.put("bootstrap.servers", bootstrap);
            out.printf(
                    "Load: writing the log into %d partitions per topic ...%n",
                    settings.partitions());
            LoadReport load = LogLoader.load(log.dir(), producer, topics);
            if (load.skipped() > 0) {
                throw new IllegalStateException("the loader skipped " + load.skipped() + " lines");
            }
            out.printf(
                    "Load: %,d records in %.1f s (%,.0f records/s)%n",
                    load.sent(),
                    load.elapsed().toMillis() / 1000.0,
                    load.sent() * 1000.0 / Math.max(1, load.elapsed().toMillis()));

            KafkaSettings kafka =
                    DetectionJob.Config.parse("--bootstrap-servers", bootstrap).kafka();
            Map<Kind, List<Run>> runs = new EnumMap<>(Kind.class);
            List<Run> disturbedRuns = new ArrayList<>();
            Run profiled = null;
            State state = null;
            try (BenchCluster cluster =
                    new BenchCluster(
                            settings.parallelism(),
                            settings.workDir().resolve("checkpoints"),
                            settings.watermarkInterval(),
                            settings.bufferTimeout())) {
                for (int r = 1; r <= settings.runs(); r++) {
                    for (Kind kind : settings.kinds()) {
                        Run run;
                        int attempt = 0;
                        while (true) {
                            run = measure(cluster, broker, kafka, log, load.sent(), kind, r);
                            boolean disturbed = disturbed(run);
                            print(run, disturbed);
                            if (disturbed) {
                                disturbedRuns.add(run);
                            }
                            if (!disturbed || attempt++ >= settings.retriesIfDisturbed()) {
                                break;
                            }
                            out.printf(
                                    "    (other processes used %.2f cores: measuring again)%n",
                                    otherCores(run));
                        }
                        runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(run);
                    }
                }
                if (settings.profile() != null) {
                    out.printf("Profiling one more pipeline-from-Kafka run (JFR) ...%n");
                    profiled = profiled(cluster, broker, kafka, log, load.sent());
                    out.printf(
                            "  profiled run %,12.0f events/s (not in the medians); recording %s%n",
                            profiled.eventsPerSecond(), settings.profile());
                }
                if (settings.state()) {
                    out.printf(
                            "State: DetectionJob unbounded until its committed offsets reach the"
                                    + " end, then stop-with-savepoint ...%n");
                    state = state(cluster, broker, log, load.sent(), bootstrap);
                }
            }
            return new Result(
                    settings, log, broker.describe(), load, runs, disturbedRuns, profiled, state);
        }
    }

    /** Other processes' CPU during the run, in cores (CPU seconds per second), or 0 if unknown. */
    static double otherCores(Run run) {
        return run.otherCpuNanos() < 0 ? 0 : run.otherCpuNanos() / (double) run.elapsedNanos();
    }

    private boolean disturbed(Run run) {
        return otherCores(run) > settings.disturbedAboveCores();
    }

    private void print(Run run, boolean disturbed) {
        out.printf(
                "  run %d %-15s %,12.0f events/s  %6.1f s (start-up %.1f s)  peak heap %,6d MB"
                        + "  cores: bench %.2f, broker %.2f, other processes %.2f%s%s%n",
                run.index(),
                run.kind().name().toLowerCase().replace('_', '-'),
                run.eventsPerSecond(),
                run.elapsedNanos() / 1e9,
                run.runningNanos() < 0 ? 0 : (run.elapsedNanos() - run.runningNanos()) / 1e9,
                run.peakHeapBytes() >> 20,
                run.jvmCpuNanos() / (double) run.elapsedNanos(),
                Math.max(0, run.brokerCpuNanos()) / (double) run.elapsedNanos(),
                otherCores(run),
                run.counters().isEmpty() ? "" : "  " + run.counters(),
                disturbed ? "  DISTURBED" : "");
    }

    private Run measure(
            BenchCluster cluster,
            Broker broker,
            KafkaSettings kafka,
            BenchLog log,
            long records,
            Kind kind,
            int index)
            throws Exception {
        StreamExecutionEnvironment env = cluster.environment();
        long cpu0 = os.getProcessCpuTime();
        Duration brokerCpu0 = broker.cpuTime();
        long machine0 = MachineCpu.busyNanos();
        Map<String, Long> counters = new TreeMap<>();
        long events;
        long elapsed;
        HeapSampler heap = HeapSampler.start();
        BenchCluster.StartWatcher started = cluster.watchNextJob();
        long end;
        try {
            switch (kind) {
                case LIMIT -> {
                    buildLimit(env, kafka, "bench-limit-" + index);
                    long t0 = System.nanoTime();
                    env.executeAsync("bench-limit").getJobExecutionResult().get();
                    elapsed = System.nanoTime() - t0;
                    events = records;
                }
                case PIPELINE_KAFKA -> {
                    DetectionJob.build(env, pipelineConfig(kafka, "bench-pipeline-" + index));
                    long t0 = System.nanoTime();
                    JobExecutionResult result =
                            env.executeAsync("bench-pipeline-kafka").getJobExecutionResult().get();
                    elapsed = System.nanoTime() - t0;
                    events = accumulator(result, FraudPipeline.EVENTS_READ);
                    counters.put("deadLetters", accumulator(result, FraudPipeline.DEAD_LETTERS));
                    counters.put("late", accumulator(result, FraudPipeline.LATE_EVENTS));
                    checkAllRead(kind, events, records);
                }
                case PIPELINE_FILES -> {
                    BacktestJob.Config config =
                            BacktestJob.Config.parse(
                                    "--input", log.dir().toString(),
                                    "--output",
                                            settings.workDir()
                                                    .resolve("backtest-alerts.jsonl")
                                                    .toString(),
                                    "--parallelism", Integer.toString(settings.parallelism()));
                    long t0 = System.nanoTime();
                    BacktestJob.Result result = BacktestJob.run(env, config);
                    elapsed = System.nanoTime() - t0;
                    events = result.eventsRead();
                    counters.put("alerts", (long) result.alerts().size());
                    checkAllRead(kind, events, records);
                }
                case NAIVE -> {
                    NaiveBaseline.build(
                            env,
                            kafka,
                            "bench-naive-" + index,
                            NAIVE_ALERTS,
                            settings.parallelism(),
                            OUT_OF_ORDERNESS,
                            null);
                    long t0 = System.nanoTime();
                    JobExecutionResult result =
                            env.executeAsync("bench-naive").getJobExecutionResult().get();
                    elapsed = System.nanoTime() - t0;
                    events = records;
                    long matches = 0;
                    for (Map.Entry<String, Object> e :
                            result.getAllAccumulatorResults().entrySet()) {
                        if (e.getKey().startsWith(NaiveBaseline.MATCHES_ACCUMULATOR_PREFIX)) {
                            matches += ((Number) e.getValue()).longValue();
                        }
                    }
                    counters.put("matches", matches);
                }
                default -> throw new IllegalArgumentException(kind.toString());
            }
            end = System.nanoTime();
        } finally {
            heap.close();
            started.close();
        }
        long running = started.allRunningNanos() < 0 ? -1 : end - started.allRunningNanos();
        Duration brokerCpu1 = broker.cpuTime();
        long machine1 = MachineCpu.busyNanos();
        long jvmCpu = os.getProcessCpuTime() - cpu0;
        long brokerCpu =
                brokerCpu0 == null || brokerCpu1 == null
                        ? -1
                        : brokerCpu1.minus(brokerCpu0).toNanos();
        long otherCpu =
                machine0 < 0 || machine1 < 0
                        ? -1
                        : Math.max(0, machine1 - machine0 - jvmCpu - Math.max(0, brokerCpu));
        return new Run(
                kind,
                index,
                events,
                elapsed,
                running,
                heap.peakUsed(),
                heap.peakAfterGc(),
                jvmCpu,
                brokerCpu,
                otherCpu,
                counters);
    }

    /**
     * The limit: the pipeline's source, parse and watermarks with the pipeline's job settings
     * (FraudPipeline.configure: object reuse on, generic types off; no idleness in a bounded run),
     * nothing after them.
     */
    static void buildLimit(StreamExecutionEnvironment env, KafkaSettings kafka, String groupId) {
        FraudPipeline.configure(env);
        env.fromSource(
                        kafka.source(
                                groupId,
                                OffsetsInitializer.earliest(),
                                OffsetsInitializer.latest(),
                                null),
                        FraudPipeline.watermarks(OUT_OF_ORDERNESS, null),
                        "kafka-source")
                .uid("kafka-source")
                .sinkTo(new DiscardingSink<SourceRecord>())
                .name("discard");
    }

    private DetectionJob.Config pipelineConfig(KafkaSettings kafka, String groupId) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--group-id",
                                groupId,
                                "--transactional-id-prefix",
                                groupId,
                                "--starting-offsets",
                                "earliest",
                                "--stop-at",
                                "latest",
                                "--delivery-guarantee",
                                "at-least-once",
                                "--parallelism",
                                Integer.toString(settings.parallelism())));
        args.addAll(
                BenchCluster.detectionJobArgs(
                        settings.watermarkInterval(), settings.bufferTimeout()));
        return DetectionJob.Config.parse(args.toArray(String[]::new));
    }

    private Run profiled(
            BenchCluster cluster, Broker broker, KafkaSettings kafka, BenchLog log, long records)
            throws Exception {
        Path file = settings.profile().toAbsolutePath();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.setToDisk(true);
            recording.setDestination(file);
            recording.start();
            Run run = measure(cluster, broker, kafka, log, records, Kind.PIPELINE_KAFKA, 0);
            recording.stop();
            return run;
        }
    }

    private State state(
            BenchCluster cluster, Broker broker, BenchLog log, long records, String bootstrap)
            throws Exception {
        String group = "bench-state-" + System.currentTimeMillis();
        DetectionJob.Config config =
                DetectionJob.Config.parse(
                        "--bootstrap-servers",
                        bootstrap,
                        "--group-id",
                        group,
                        "--transactional-id-prefix",
                        group,
                        "--starting-offsets",
                        "earliest",
                        "--delivery-guarantee",
                        "at-least-once",
                        // Offsets are committed on checkpoints: a short interval ends the wait
                        // soon after the last record.
                        "--checkpoint-interval",
                        "2s",
                        "--parallelism",
                        Integer.toString(settings.parallelism()));
        StreamExecutionEnvironment env = cluster.environment();
        DetectionJob.build(env, config);
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("bench-state");
        try (Admin admin = Admin.create(broker.adminProperties())) {
            awaitCommittedAtEnd(admin, group, config.kafka().inputTopics(), Duration.ofHours(2));
        }
        long caughtUp = System.nanoTime() - t0;
        Path savepoints = settings.workDir().resolve("savepoints");
        Broker.deleteTree(savepoints); // only the last one is kept
        Files.createDirectories(savepoints);
        String pointer =
                client.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(10, TimeUnit.MINUTES);
        JobExecutionResult result = client.getJobExecutionResult().get(10, TimeUnit.MINUTES);
        SavepointStats stats = SavepointStats.of(pointer);
        return new State(
                stats,
                log.users(),
                log.activeLastDay(),
                accumulator(result, FraudPipeline.EVENTS_READ),
                caughtUp);
    }

    private void awaitCommittedAtEnd(
            Admin admin, String group, List<String> topics, Duration timeout) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription d :
                admin.describeTopics(topics).allTopicNames().get(1, TimeUnit.MINUTES).values()) {
            d.partitions()
                    .forEach(
                            p ->
                                    latest.put(
                                            new TopicPartition(d.name(), p.partition()),
                                            OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                admin.listOffsets(latest).all().get(1, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(1, TimeUnit.MINUTES);
            boolean done = true;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                    end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue().offset()) {
                    done = false;
                    break;
                }
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "group " + group + " did not commit the end offsets within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private static void checkAllRead(Kind kind, long read, long expected) {
        if (read != expected) {
            throw new IllegalStateException(
                    kind + " read " + read + " records, the log has " + expected);
        }
    }

    private static long accumulator(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0L : ((Number) v).longValue();
    }
}
