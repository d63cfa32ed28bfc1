package io.fraudcep.bench;

import com.sun.management.OperatingSystemMXBean;
import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.jobs.rules.RuleHistoryReader;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.AppliedVersion;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
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
        NAIVE("naive baseline: 9 CEP operators, every event to every pattern"),
        /**
         * The DetectionJob as the live job runs it (unbounded, following the control topic), timed
         * from submission to the last record reaching the rule engine: the run without changes.
         */
        PIPELINE_KAFKA_LIVE("pipeline from Kafka, unbounded, no rule versions"),
        /**
         * The same while {@code --rule-versions} versions are published on its control topic,
         * spread over the run ({@link RuleVersionPlan}); always measured next to {@link
         * #PIPELINE_KAFKA_LIVE}.
         */
        PIPELINE_KAFKA_VERSIONS("pipeline from Kafka, unbounded, with rule versions published");

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
            int retriesIfDisturbed,
            int ruleVersions,
            BenchStateBackend stateBackend) {}

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

    /** Where the loaded log lies in event time; measured when rule versions are published. */
    private EventTimeQuantiles eventTime;

    /** The rule versions each round publishes, by round. */
    private final Map<Integer, List<RuleVersionPlan.Version>> plans = new HashMap<>();

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

            if (settings.kinds().contains(Kind.PIPELINE_KAFKA_VERSIONS)) {
                try (Admin admin = Admin.create(broker.adminProperties())) {
                    eventTime =
                            EventTimeQuantiles.of(
                                    admin,
                                    List.of(
                                            topics.logins(),
                                            topics.transactions(),
                                            topics.accountChanges()),
                                    log.firstEvent(),
                                    log.lastEvent());
                }
                // Planned (every version parsed and checked) before the runs, not in their CPU.
                for (int r = 1; r <= settings.runs(); r++) {
                    plans.put(
                            r,
                            RuleVersionPlan.plan(
                                    settings.ruleVersions(),
                                    settings.log().seed() + r,
                                    DetectionGraph.DEFAULT_RULE_HORIZON));
                }
            }
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
                            settings.bufferTimeout(),
                            settings.stateBackend())) {
                for (int r = 1; r <= settings.runs(); r++) {
                    for (Kind kind : roundOrder(settings.kinds(), r)) {
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

    /**
     * The kinds to measure, with the run without rule versions added before the run with them if it
     * is not asked for: the comparison is between the two.
     */
    static List<Kind> withTwins(List<Kind> kinds) {
        List<Kind> all = new ArrayList<>();
        for (Kind k : kinds) {
            if (k == Kind.PIPELINE_KAFKA_VERSIONS
                    && !kinds.contains(Kind.PIPELINE_KAFKA_LIVE)
                    && !all.contains(Kind.PIPELINE_KAFKA_LIVE)) {
                all.add(Kind.PIPELINE_KAFKA_LIVE);
            }
            if (!all.contains(k)) {
                all.add(k);
            }
        }
        return all;
    }

    /**
     * The kinds of round {@code r}: as given, except that the runs without and with rule versions
     * swap places every other round, so that neither always runs first (JIT, page cache, GC).
     */
    static List<Kind> roundOrder(List<Kind> kinds, int r) {
        List<Kind> order = new ArrayList<>(kinds);
        int live = order.indexOf(Kind.PIPELINE_KAFKA_LIVE);
        int versions = order.indexOf(Kind.PIPELINE_KAFKA_VERSIONS);
        if (r % 2 == 0 && live >= 0 && versions >= 0) {
            order.set(live, Kind.PIPELINE_KAFKA_VERSIONS);
            order.set(versions, Kind.PIPELINE_KAFKA_LIVE);
        }
        return order;
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
        CpuMark atEnd = null;
        long lastRecord = -1;
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
                case PIPELINE_KAFKA_LIVE, PIPELINE_KAFKA_VERSIONS -> {
                    Live live =
                            live(
                                    cluster,
                                    broker,
                                    kafka,
                                    records,
                                    kind == Kind.PIPELINE_KAFKA_VERSIONS
                                            ? settings.ruleVersions()
                                            : 0,
                                    index);
                    elapsed = live.lastRecordNanos() - live.submittedNanos();
                    events = live.events();
                    counters.putAll(live.counters());
                    atEnd = live.atEnd();
                    lastRecord = live.lastRecordNanos();
                    checkAllRead(kind, events, records);
                }
                default -> throw new IllegalArgumentException(kind.toString());
            }
            end = lastRecord >= 0 ? lastRecord : System.nanoTime();
        } finally {
            heap.close();
            started.close();
        }
        if (atEnd == null) {
            atEnd = CpuMark.now(os, broker);
        }
        long running = started.allRunningNanos() < 0 ? -1 : end - started.allRunningNanos();
        Duration brokerCpu1 = atEnd.broker();
        long machine1 = atEnd.machine();
        long jvmCpu = atEnd.jvm() - cpu0;
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

    /** CPU used so far by this JVM, the broker and the machine, at a point in time. */
    private record CpuMark(long nanos, long jvm, Duration broker, long machine) {
        static CpuMark now(OperatingSystemMXBean os, Broker broker) {
            return new CpuMark(
                    System.nanoTime(),
                    os.getProcessCpuTime(),
                    broker.cpuTime(),
                    MachineCpu.busyNanos());
        }
    }

    /**
     * One unbounded run of the DetectionJob.
     *
     * @param submittedNanos when the job was submitted
     * @param lastRecordNanos when the last record of the log reached the rule engine
     * @param atEnd the CPU used when that was seen
     * @param events records of the log the job read
     * @param counters what the report shows of the run
     */
    private record Live(
            long submittedNanos,
            long lastRecordNanos,
            CpuMark atEnd,
            long events,
            Map<String, Long> counters) {}

    /** How often an unbounded run's progress is sampled. */
    private static final long SAMPLE_MILLIS = 20;

    /** A time without progress this long or longer is a stall worth reporting. */
    static final long STALL_MILLIS = 500;

    /** Name of the operator that reads every record of the log (chained to the source). */
    private static final String READER = "split-dead-letters";

    /**
     * The DetectionJob unbounded, as the live job runs, on a control topic of its own (fresh, so no
     * other run's versions are in its history); with {@code versions > 0}, a publisher appends that
     * many versions ({@link RuleVersionPlan}) while the job reads the log. The run is timed to the
     * moment the last record of the log reached the rule engine, read from the job's own counters
     * ({@link LiveCounters}) every {@value #SAMPLE_MILLIS} ms; then the bench waits for the audit
     * topic to hold every version published, reads it (how many versions applied, how many late)
     * and cancels the job. Nothing after the last record is timed.
     */
    private Live live(
            BenchCluster cluster,
            Broker broker,
            KafkaSettings kafka,
            long records,
            int versions,
            int index)
            throws Exception {
        String id =
                "bench-live-"
                        + (versions > 0 ? "versions-" : "")
                        + index
                        + "-"
                        + System.currentTimeMillis();
        String rulesTopic = id + "-rules";
        String appliedTopic = id + "-rules-applied";
        DetectionJob.Config config = liveConfig(kafka, id, rulesTopic, appliedTopic);
        List<RuleVersionPlan.Version> plan = versions == 0 ? List.of() : plans.get(index);
        if (!config.ruleTopics().horizon().equals(DetectionGraph.DEFAULT_RULE_HORIZON)) {
            throw new IllegalStateException("the versions were checked for the default horizon");
        }
        StreamExecutionEnvironment env = cluster.environment();
        // Creates both topics and reads the (empty) history, as the live job does when built.
        DetectionJob.build(env, config);
        LiveCounters live = cluster.counters();
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync(id);
        JobID job = client.getJobID();
        int parallelism = settings.parallelism();
        RuleVersionPublisher publisher =
                new RuleVersionPublisher(
                        kafka.bootstrapServers(),
                        rulesTopic,
                        plan,
                        () -> live.sum(job, READER, LiveCounters.RECORDS_IN),
                        records,
                        // The rule engine's input watermark: the events' (through the gate).
                        () -> live.watermark(job, DetectionGraph.ENGINE_UID),
                        eventTime);
        GcPauses gc = GcPauses.start();
        Thread publishing = new Thread(publisher, "bench-rule-versions");
        publishing.setDaemon(true);
        publishing.start();
        ProgressTrace trace = new ProgressTrace();
        long lastRecord;
        CpuMark atEnd;
        long read;
        Map<String, Long> counters = new TreeMap<>();
        try {
            long deadline = System.nanoTime() + Duration.ofHours(2).toNanos();
            long samples = 0;
            long lastEngineEvents = -1;
            long lastEngineChange = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                read = live.sum(job, READER, LiveCounters.RECORDS_IN);
                long deadLetters = live.sum(job, READER, "deadLetters");
                // Every engine subtask receives every applied version (broadcast): not events.
                long engineEvents =
                        live.sum(job, DetectionGraph.ENGINE_UID, LiveCounters.RECORDS_IN)
                                - parallelism
                                        * live.sum(
                                                job,
                                                FraudPipeline.RULE_GATE_UID,
                                                "ruleVersionsApplied");
                trace.add(now, engineEvents);
                if (read >= records && engineEvents >= records - deadLetters) {
                    atEnd = CpuMark.now(os, broker);
                    lastRecord = now;
                    break;
                }
                if (engineEvents != lastEngineEvents) {
                    lastEngineEvents = engineEvents;
                    lastEngineChange = now;
                } else if (read >= records && now - lastEngineChange > 30_000_000_000L) {
                    // Better no figure than one timed to the wrong moment.
                    throw new IllegalStateException(
                            id
                                    + " read all "
                                    + records
                                    + " records but its rule engine counted "
                                    + engineEvents
                                    + " events, and nothing for 30 s (dead letters: "
                                    + deadLetters
                                    + ")");
                }
                if (++samples % 25 == 0) {
                    JobStatus status = client.getJobStatus().get(1, TimeUnit.MINUTES);
                    if (status.isGloballyTerminalState()) {
                        client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
                        throw new IllegalStateException(id + " ended: " + status);
                    }
                }
                if (now > deadline) {
                    throw new IllegalStateException(
                            id + " did not read the log within 2 h (read " + read + ")");
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
            publishing.join(Duration.ofMinutes(2).toMillis());
            if (publisher.failure() != null) {
                throw new IllegalStateException(
                        "publishing rule versions failed", publisher.failure());
            }
            if (publishing.isAlive()) {
                throw new IllegalStateException("the rule-version publisher did not finish");
            }
            if (versions > 0) {
                counters.put("ruleVersionsPublished", (long) publisher.published());
                counters.put(
                        "ruleVersionsPublishedWhileReading",
                        (long) publisher.publishedBefore(lastRecord));
                List<AppliedVersion> applied =
                        awaitApplied(kafka, rulesTopic, appliedTopic, publisher.published());
                Set<String> distinct = new HashSet<>();
                long late = 0;
                for (AppliedVersion a : applied) {
                    if (distinct.add(a.ruleId() + "/" + a.ruleVersion()) && a.late()) {
                        late++;
                    }
                }
                counters.put("ruleVersionsApplied", (long) distinct.size());
                counters.put("ruleVersionsLate", late);
                counters.put(
                        "ruleVersionsRejected",
                        live.sum(job, FraudPipeline.RULE_GATE_UID, "ruleRecordsRejected"));
            }
        } finally {
            gc.close();
            publisher.stop();
            client.cancel().get(1, TimeUnit.MINUTES);
            try {
                client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            } catch (Exception cancelled) {
                // expected: the job was cancelled
            }
        }
        ProgressTrace.Pauses pauses = trace.pauses(lastRecord);
        counters.put("longestStallMillis", pauses.longestStallMillis());
        counters.put("slowestSecondEvents", pauses.slowestSecond());
        counters.put("medianSecondEvents", pauses.medianSecond());
        counters.put("gcMillis", gc.millisBetween(t0, lastRecord));
        // Stalls net of the collections during them, and whether a version came just before.
        long longestGc = 0;
        long longest = -1;
        long beyondGc = 0;
        long afterVersion = 0;
        for (ProgressTrace.Stall st : trace.stalls(lastRecord, 0)) {
            long inGc = gc.millisBetween(st.fromNanos(), st.toNanos());
            if (st.millis() > longest) {
                longest = st.millis();
                longestGc = inGc;
            }
            long net = st.millis() - inGc;
            beyondGc = Math.max(beyondGc, net);
            if (net >= STALL_MILLIS
                    && publisher.publishedBetween(st.fromNanos() - 2_000_000_000L, st.toNanos())
                            > 0) {
                afterVersion++;
            }
        }
        counters.put("longestStallGcMillis", longestGc);
        counters.put("longestStallBeyondGcMillis", beyondGc);
        if (versions > 0) {
            counters.put("stallsBeyondGcNearVersion", afterVersion);
        }
        return new Live(t0, lastRecord, atEnd, read, counters);
    }

    /**
     * The audit records of the run's versions: read until every published version is there or a
     * minute has passed (the audit sink is at-least-once and flushes as it goes).
     */
    private static List<AppliedVersion> awaitApplied(
            KafkaSettings kafka, String rulesTopic, String appliedTopic, int published)
            throws InterruptedException {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<AppliedVersion> applied =
                    RuleHistoryReader.read(
                                    client,
                                    rulesTopic,
                                    appliedTopic,
                                    RuleFiles.defaults(),
                                    Duration.ofSeconds(30))
                            .applied();
            if (applied.size() >= published || System.nanoTime() > deadline) {
                return applied;
            }
            Thread.sleep(200);
        }
    }

    /** The DetectionJob as pipeline-kafka runs it, but unbounded and on its own rule topics. */
    private DetectionJob.Config liveConfig(
            KafkaSettings kafka, String groupId, String rulesTopic, String appliedTopic) {
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
                                "--delivery-guarantee",
                                "at-least-once",
                                "--rules-topic",
                                rulesTopic,
                                "--rules-applied-topic",
                                appliedTopic,
                                "--parallelism",
                                Integer.toString(settings.parallelism())));
        args.addAll(
                BenchCluster.detectionJobArgs(
                        settings.watermarkInterval(), settings.bufferTimeout()));
        return DetectionJob.Config.parse(args.toArray(String[]::new));
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
