package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.local.StateBackendProfile;
import io.fraudcep.jobs.rules.RuleHistoryReader;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upgrades and rescaling: the live job, exactly-once and unbounded, is stopped with a savepoint
 * twice in the middle of the contract's log and restored each time at another parallelism (2, then
 * 4, then 1), while the log arrives in three parts cut by event time, as a live log would between
 * deployments, and analysts publish rule versions on the control topic before, between and during
 * the runs ({@link SavepointRuleVersions}). A read_committed consumer then sees exactly the alerts,
 * shadow alerts and dead letters of an uninterrupted run with the same rule records, none lost,
 * none repeated, each judged by the version in force at its instant; and each version applied once,
 * from its effectiveFrom, as that run applies it.
 *
 * <p>Twice ({@link Backends}): every deployment on RocksDB (the settings of
 * flink-conf/conf/rocksdb.yaml), and heap, RocksDB, heap, where each savepoint is restored into the
 * other backend. The savepoints are canonical, the format that every backend writes and reads, so
 * the second run also covers the heap backend's savepoints in both directions (an all-heap run was
 * dropped from CI for its time; every other job ITCase runs on the heap).
 */
class SavepointRescaleITCase {

    /**
     * Where {@link FailureRecoveryITCase} and {@link EventTimeRobustnessITCase} cut the log. Each
     * cut falls inside a match the contract demands (u00035's three structuring deposits, u00008's
     * takeover login and transfer), so partial matches and held-back events have to travel in the
     * savepoints.
     */
    static final Instant FIRST_CUT = Instant.parse("2026-02-25T03:00:00Z");

    static final Instant SECOND_CUT = Instant.parse("2026-03-28T02:10:00Z");

    /**
     * Where this test cuts the log and stops the job. Each cut falls inside a match the contract
     * demands (u00035's three structuring deposits, after the second; u00025's impossible travel)
     * and inside one the rule versions make (u00035's alert at its second deposit suppresses its
     * third; u00004's failed logins, which BRUTE_FORCE_LOGIN v1 counts from this cut on), so
     * partial matches, held-back events, suppression and versions yet to take effect have to travel
     * in the savepoints.
     */
    static final Instant FIRST_STOP = Instant.parse("2026-02-25T06:00:00Z");

    static final Instant SECOND_STOP = Instant.parse("2026-03-28T01:05:00Z");

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * The cluster of every run here. Its own backend is the heap (that of the uninterrupted run);
     * each deployment of the staged runs sets its backend in its job configuration, which Flink
     * lays over the cluster's (job-level {@code state.backend.*} settings).
     */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(
                                    StateBackendProfile.HASHMAP.applyTo(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static EmbeddedKafka kafka;

    /** The run without stops that every staged run is compared with: one per class. */
    private static LiveLog uninterrupted;

    /**
     * The keyed state backend of each deployment of a staged run.
     *
     * @param name the name of the combination, also in its topics' names
     */
    record Backends(
            String name,
            StateBackendProfile first,
            StateBackendProfile second,
            StateBackendProfile third) {

        static Backends all(StateBackendProfile backend) {
            return new Backends(backend.cliName(), backend, backend, backend);
        }

        @Override
        public String toString() {
            return first.cliName() + " -> " + second.cliName() + " -> " + third.cliName();
        }
    }

    static Stream<Backends> backends() {
        return Stream.of(
                Backends.all(StateBackendProfile.ROCKSDB),
                new Backends(
                        "alternating",
                        StateBackendProfile.HASHMAP,
                        StateBackendProfile.ROCKSDB,
                        StateBackendProfile.HASHMAP));
    }

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void restoringAtParallelismTwoThenFourThenOneLosesAndRepeatsNoAlertNorRuleVersion(
            Backends backends,
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path savepoints)
            throws Exception {
        List<List<LiveLog.Line>> parts = LiveLog.contractLogCutAt(FIRST_STOP, SECOND_STOP);
        assertThat(parts).allSatisfy(part -> assertThat(part).isNotEmpty());
        LiveLog staged = LiveLog.create(kafka, "staged-" + backends.name());

        staged.publish(SavepointRuleVersions.BEFORE_FIRST_START);
        staged.produce(parts.get(0));
        Phase first =
                Phase.run(
                        client,
                        cluster,
                        staged,
                        2,
                        backends.first(),
                        null,
                        savepoints,
                        false,
                        () -> {});

        staged.publish(SavepointRuleVersions.BEFORE_FIRST_RESTORE);
        Phase second =
                Phase.run(
                        client,
                        cluster,
                        staged,
                        4,
                        backends.second(),
                        first.savepoint,
                        savepoints,
                        false,
                        () -> {
                            // The restored job applies the versions published while it was
                            // stopped before its watermark moves: the second part of the log
                            // arrives once it has (seconds after the start, well within the
                            // idle timeout, so no partition is idle when it does).
                            staged.awaitApplied(SavepointRuleVersions.BEFORE_FIRST_RESTORE);
                            staged.produce(parts.get(1));
                            // Effective from the third part: applied now, on time, and kept in
                            // the job's state through the next savepoint and rescale.
                            staged.publish(SavepointRuleVersions.DURING_SECOND_RUN);
                            staged.awaitApplied(SavepointRuleVersions.DURING_SECOND_RUN);
                        });

        staged.produce(parts.get(2));
        // Drained: the final watermark flushes the matches still waiting for event time, as the
        // end of a bounded run does. (A restored job with --stop-at latest would not finish: see
        // Phase.run.)
        Phase third =
                Phase.run(
                        client,
                        cluster,
                        staged,
                        1,
                        backends.third(),
                        second.savepoint,
                        savepoints,
                        true,
                        () -> {});

        assertThat(first.restoredFrom).isNull();
        assertThat(second.restoredFrom).isEqualTo(first.savepoint);
        assertThat(third.restoredFrom).isEqualTo(second.savepoint);
        assertRescaled(first, 2);
        assertRescaled(second, 4);
        assertRescaled(third, 1);
        assertThat(List.of(first.stateBackend, second.stateBackend, third.stateBackend))
                .as("state backend of each deployment")
                .containsExactly(
                        backendName(backends.first()),
                        backendName(backends.second()),
                        backendName(backends.third()));

        if (uninterrupted == null) {
            // On the cluster's backend, the heap.
            uninterrupted =
                    LiveLog.uninterruptedRun(kafka, "uninterrupted", SavepointRuleVersions.all());
        }

        // First, as it explains any alert missing below: no event of either run arrived behind
        // the watermark (a partition taken as idle on a starved machine would make them late).
        assertThat(staged.lateEvents()).as("late events of the staged run").isEmpty();
        assertThat(uninterrupted.lateEvents()).as("late events of the uninterrupted run").isEmpty();

        List<JsonNode> alerts = staged.alerts();
        assertThat(keys(alerts)).isEqualTo(SavepointRuleVersions.expectedAlerts());
        assertThat(alerts).hasSameSizeAs(SavepointRuleVersions.expectedAlerts());
        assertThat(ids(alerts)).doesNotHaveDuplicates();
        assertThat(ids(alerts)).containsExactlyInAnyOrderElementsOf(ids(uninterrupted.alerts()));

        List<JsonNode> shadowAlerts = staged.shadowAlerts();
        assertThat(keys(shadowAlerts)).isEqualTo(SavepointRuleVersions.SHADOW_ALERTS);
        assertThat(shadowAlerts).hasSameSizeAs(SavepointRuleVersions.SHADOW_ALERTS);
        assertThat(ids(shadowAlerts)).doesNotHaveDuplicates();
        assertThat(ids(shadowAlerts))
                .containsExactlyInAnyOrderElementsOf(ids(uninterrupted.shadowAlerts()));
        assertThat(shadowAlerts)
                .allSatisfy(a -> assertThat(a.path("mode").asText()).isEqualTo("shadow"));
        assertThat(alerts).allSatisfy(a -> assertThat(a.has("mode")).isFalse());
        assertJudgedByTheVersionInForce(alerts);
        assertJudgedByTheVersionInForce(shadowAlerts);

        // Every version is audited once, on time, whatever stops and restores happened: those read
        // with the topic's history at the first start when it starts, the others as they came.
        List<SavepointRuleVersions.Published> audited = SavepointRuleVersions.all();
        List<AppliedVersion> applied = staged.appliedVersions();
        assertThat(applied)
                .extracting(a -> a.ruleId() + "#" + a.ruleVersion())
                .containsExactlyInAnyOrderElementsOf(
                        audited.stream().map(SavepointRuleVersions.Published::id).toList());
        for (SavepointRuleVersions.Published p : audited) {
            assertThat(applied)
                    .filteredOn(a -> a.ruleId().equals(p.ruleId()))
                    .filteredOn(a -> a.ruleVersion() == p.ruleVersion())
                    .singleElement()
                    .isEqualTo(
                            new AppliedVersion(
                                    p.ruleId(),
                                    p.ruleVersion(),
                                    p.effectiveFrom(),
                                    p.effectiveFrom(),
                                    false,
                                    p.patternVersion(),
                                    p.mode()));
        }
        // A replay of either run's topics applies every version from the same instant.
        assertThat(staged.appliedInstants())
                .isEqualTo(uninterrupted.appliedInstants())
                .containsExactlyElementsOf(
                        SavepointRuleVersions.all().stream()
                                .map(p -> p.id() + " from " + p.effectiveFrom())
                                .sorted()
                                .toList());

        assertThat(staged.deadLetterSources())
                .hasSize(ContractExample.BAD_RECORDS)
                .doesNotHaveDuplicates();
        assertThat(staged.deadLetterContents())
                .containsExactlyInAnyOrderElementsOf(uninterrupted.deadLetterContents());
    }

    /** The name Flink gives the backend of {@code profile} (as its web UI shows it). */
    private static String backendName(StateBackendProfile profile) {
        return switch (profile) {
            case HASHMAP -> "HashMapStateBackend";
            case ROCKSDB -> "EmbeddedRocksDBStateBackend";
        };
    }

    /**
     * Every vertex runs at the phase's parallelism but the control topic's source and the version
     * gate (with what is chained to them), which run at 1 whatever the job's parallelism.
     */
    private static void assertRescaled(Phase phase, int parallelism) {
        phase.parallelisms.forEach(
                (vertex, p) ->
                        assertThat(p)
                                .as("parallelism of %s", vertex)
                                .isEqualTo(ofRuleVersions(vertex) ? 1 : parallelism));
        assertThat(phase.parallelisms.keySet())
                .anyMatch(SavepointRescaleITCase::ofRuleVersions)
                .anyMatch(vertex -> !ofRuleVersions(vertex));
    }

    private static boolean ofRuleVersions(String vertex) {
        return vertex.contains("rules-source") || vertex.contains(FraudPipeline.RULE_GATE_UID);
    }

    /** Each alert carries the patternVersion of the version of its rule in force at its instant. */
    private static void assertJudgedByTheVersionInForce(List<JsonNode> alerts) {
        for (JsonNode a : alerts) {
            String rule = a.get("patternId").asText();
            Instant at = Instant.parse(a.get("detectedAt").asText());
            assertThat(a.get("patternVersion").asText())
                    .as("patternVersion of %s", ContractExample.alertKey(a))
                    .isEqualTo(SavepointRuleVersions.patternVersionAt(rule, at));
        }
    }

    /** Polls {@code condition} until it holds, failing after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    static Set<String> keys(List<JsonNode> alerts) {
        return alerts.stream().map(ContractExample::alertKey).collect(Collectors.toSet());
    }

    static List<String> ids(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("alertId").asText()).toList();
    }

    /** What a phase does while its job runs, before it waits for the job to consume the log. */
    @FunctionalInterface
    interface WhileRunning {
        void run() throws Exception;
    }

    /** One deployment of the job: submitted, run until it consumed the log, stopped. */
    private static final class Phase {
        final String savepoint;
        final String restoredFrom;

        /** The parallelism of each vertex of the job graph, by vertex name. */
        final Map<String, Integer> parallelisms;

        /** The keyed state backend the job ran on, as Flink names it. */
        final String stateBackend;

        private Phase(
                String savepoint,
                String restoredFrom,
                Map<String, Integer> parallelisms,
                String stateBackend) {
            this.savepoint = savepoint;
            this.restoredFrom = restoredFrom;
            this.parallelisms = parallelisms;
            this.stateBackend = stateBackend;
        }

        /**
         * Submits the unbounded job at {@code parallelism} on the state backend {@code backend},
         * restored from {@code savepoint} if not null, runs {@code whileRunning}, waits until the
         * job has committed the end of every input partition, then stops it with a canonical
         * savepoint ({@code drain}: after the final watermark).
         *
         * <p>Every phase is unbounded. A job restored from a savepoint with {@code --stop-at
         * latest} never finishes with flink-connector-kafka 5.0.0-2.2: the restored splits keep the
         * "no stopping offset" of the unbounded run that wrote the savepoint, and a restored
         * bounded enumerator never signals "no more splits" (FLINK-31006).
         */
        static Phase run(
                ClusterClient<?> client,
                MiniCluster cluster,
                LiveLog log,
                int parallelism,
                StateBackendProfile backend,
                String savepoint,
                Path savepoints,
                boolean drain,
                WhileRunning whileRunning)
                throws Exception {
            Configuration conf = backend.applyTo(new Configuration());
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            DetectionJob.build(env, log.config(parallelism, "never", "exactly-once"));
            JobID job = env.executeAsync("fraud-detection").getJobID();

            whileRunning.run();
            log.awaitCommittedToEnd();
            String taken =
                    client.stopWithSavepoint(
                                    job,
                                    drain,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(
                            client.requestJobResult(job)
                                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                    .getApplicationStatus()
                                    .deriveJobStatus())
                    .isEqualTo(JobStatus.FINISHED);

            ArchivedExecutionGraph graph = cluster.getArchivedExecutionGraph(job).get();
            RestoredCheckpointStats restored =
                    graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
            Map<String, Integer> parallelisms = new TreeMap<>();
            for (AccessExecutionJobVertex v : graph.getAllVertices().values()) {
                parallelisms.put(v.getName(), v.getParallelism());
            }
            return new Phase(
                    taken,
                    restored == null ? null : restored.getExternalPath(),
                    parallelisms,
                    graph.getStateBackendName().orElse(null));
        }
    }

    /**
     * The contract's log fed to the live job in parts, on its own input and output topics, rule
     * control and audit topics and consumer group (all named after the log), and what the job
     * wrote. Also used by {@link FailureRecoveryITCase}, {@link EventTimeRobustnessITCase} and
     * {@link GoLiveITCase}.
     */
    static final class LiveLog {

        static final int INPUT_PARTITIONS = 4;

        /**
         * Partition idleness of the job. Each run starts on a backlog; a partition whose first
         * records wait behind other partitions' for longer than the idle timeout is taken as idle,
         * the others move the watermark on, and its early events arrive late. With 1s that happened
         * here on 2 cores (early account changes of the log went to the late-events topic). No run
         * here waits for idleness: each consumes its input and is then stopped (drained at the end)
         * or reaches its bounded end.
         */
        static final String IDLE_TIMEOUT = "30s";

        /** One line of a topic file, keyed by its userId as the loader does. */
        record Line(String topicFile, byte[] key, byte[] value) {}

        final EmbeddedKafka kafka;
        final String name;
        final Map<String, String> inputTopicOfFile = new HashMap<>();
        final String alerts;
        final String shadowAlerts;
        final String deadLetters;
        final String lateEvents;
        final String rules;
        final String rulesApplied;

        private LiveLog(EmbeddedKafka kafka, String name) {
            this.kafka = kafka;
            this.name = name;
            for (String file : ContractExample.TOPIC_FILES) {
                inputTopicOfFile.put(file, name + "-" + file.replace(".jsonl", ""));
            }
            this.alerts = name + "-fraud-alerts";
            this.shadowAlerts = name + "-fraud-alerts-shadow";
            this.deadLetters = name + "-fraud-dead-letters";
            this.lateEvents = name + "-fraud-late-events";
            this.rules = name + "-fraud-rules";
            this.rulesApplied = name + "-fraud-rules-applied";
        }

        /** Creates the topics of a log named {@code name}. */
        static LiveLog create(EmbeddedKafka kafka, String name) {
            LiveLog log = new LiveLog(kafka, name);
            kafka.createTopics(INPUT_PARTITIONS, log.inputTopics().toArray(String[]::new));
            kafka.createTopics(2, log.alerts, log.shadowAlerts, log.deadLetters, log.lateEvents);
            // As the job creates them: one partition, never compacted, never expired.
            EmbeddedKafka.createTopics(
                    kafka.bootstrapServers(),
                    1,
                    Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            "-1"),
                    log.rules,
                    log.rulesApplied);
            return log;
        }

        /** The whole contract log, produced at once and run through bounded, exactly-once. */
        static LiveLog uninterruptedRun(EmbeddedKafka kafka, String name) throws Exception {
            return uninterruptedRun(kafka, name, List.of());
        }

        /**
         * As {@link #uninterruptedRun(EmbeddedKafka, String)}, with the rule records published on
         * the control topic first: the job reads them with the topic's history when it is built.
         */
        static LiveLog uninterruptedRun(
                EmbeddedKafka kafka, String name, List<SavepointRuleVersions.Published> versions)
                throws Exception {
            LiveLog log = create(kafka, name);
            if (!versions.isEmpty()) {
                log.publish(versions);
            }
            log.produce(contractLogCutAt().get(0));
            DetectionJob.run(
                    StreamExecutionEnvironment.getExecutionEnvironment(),
                    log.config(2, "latest", "exactly-once"));
            return log;
        }

        List<String> inputTopics() {
            return ContractExample.TOPIC_FILES.stream().map(inputTopicOfFile::get).toList();
        }

        String group() {
            return name;
        }

        DetectionJob.Config config(int parallelism, String stopAt, String delivery) {
            return config(parallelism, stopAt, delivery, IDLE_TIMEOUT);
        }

        DetectionJob.Config config(
                int parallelism, String stopAt, String delivery, String idleTimeout) {
            List<String> topics = inputTopics();
            return DetectionJob.Config.parse(
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--logins-topic",
                    topics.get(0),
                    "--transactions-topic",
                    topics.get(1),
                    "--account-changes-topic",
                    topics.get(2),
                    "--alerts-topic",
                    alerts,
                    "--shadow-alerts-topic",
                    shadowAlerts,
                    "--rules-topic",
                    rules,
                    "--rules-applied-topic",
                    rulesApplied,
                    "--dead-letter-topic",
                    deadLetters,
                    "--late-events-topic",
                    lateEvents,
                    "--group-id",
                    group(),
                    "--transactional-id-prefix",
                    name,
                    "--starting-offsets",
                    "earliest",
                    "--stop-at",
                    stopAt,
                    "--delivery-guarantee",
                    delivery,
                    "--checkpoint-interval",
                    "500ms",
                    "--idle-timeout",
                    idleTimeout,
                    "--parallelism",
                    Integer.toString(parallelism));
        }

        /**
         * The contract's log split at the given event times, ascending: part i holds the lines with
         * {@code cuts[i-1] <= timestamp < cuts[i]}. A line without a readable timestamp (junk) goes
         * with the first part. Without cuts: the whole log in one part.
         */
        static List<List<Line>> contractLogCutAt(Instant... cuts) {
            List<List<Line>> parts = new ArrayList<>();
            for (int i = 0; i <= cuts.length; i++) {
                parts.add(new ArrayList<>());
            }
            for (String file : ContractExample.TOPIC_FILES) {
                for (String line : ContractExample.lines(file)) {
                    JsonNode json = parse(line);
                    Instant time = timestamp(json);
                    int part = 0;
                    while (time != null && part < cuts.length && !time.isBefore(cuts[part])) {
                        part++;
                    }
                    byte[] key =
                            json != null && json.path("userId").isTextual()
                                    ? json.get("userId").asText().getBytes(StandardCharsets.UTF_8)
                                    : null;
                    parts.get(part).add(new Line(file, key, line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            return parts;
        }

        /** Appends the lines to this log's input topics, in their order, partitioned by key. */
        void produce(List<Line> lines) {
            produce(lines, null);
        }

        /**
         * Appends the lines to this log's input topics, in their order, each to the partition
         * {@code partitioner} names (null: the producer's choice by key).
         */
        void produce(List<Line> lines, ToIntFunction<Line> partitioner) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
            props.put(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            props.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                for (Line l : lines) {
                    Integer partition = partitioner == null ? null : partitioner.applyAsInt(l);
                    producer.send(
                            new ProducerRecord<>(
                                    inputTopicOfFile.get(l.topicFile()),
                                    partition,
                                    l.key(),
                                    l.value()));
                }
                producer.flush();
            }
        }

        /**
         * Waits until the job's consumer group has committed, for every input partition, the
         * partition's end offset. The Kafka source commits on completed checkpoints, so a
         * checkpoint then covers all the input produced so far. Empty partitions need no commit.
         *
         * <p>Takes about 10 s once the input is drained: the source commits from its fetcher
         * thread, which then sits in a 10 s {@code poll} before it runs the queued commit.
         */
        void awaitCommittedToEnd() throws Exception {
            Map<TopicPartition, Long> end = endOffsets();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, Long> committed = committedOffsets();
                Map<TopicPartition, Long> behind = new HashMap<>();
                end.forEach(
                        (tp, offset) -> {
                            long at = committed.getOrDefault(tp, 0L);
                            if (at < offset) {
                                behind.put(tp, offset - at);
                            }
                        });
                if (behind.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "group "
                                    + group()
                                    + " did not commit the end offsets in time;"
                                    + " records behind: "
                                    + behind);
                }
                Thread.sleep(100);
            }
        }

        /** The end offset of every input partition. */
        Map<TopicPartition, Long> endOffsets() throws Exception {
            try (Admin admin = admin()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (TopicDescription d :
                        admin.describeTopics(inputTopics()).allTopicNames().get().values()) {
                    d.partitions()
                            .forEach(
                                    p ->
                                            latest.put(
                                                    new TopicPartition(d.name(), p.partition()),
                                                    OffsetSpec.latest()));
                }
                Map<TopicPartition, Long> end = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((tp, i) -> end.put(tp, i.offset()));
                return end;
            }
        }

        /** The offsets the job's consumer group has committed (none for an untouched partition). */
        Map<TopicPartition, Long> committedOffsets() {
            try (Admin admin = admin()) {
                Map<TopicPartition, Long> committed = new HashMap<>();
                admin.listConsumerGroupOffsets(group())
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .forEach(
                                (tp, o) -> {
                                    if (o != null) {
                                        committed.put(tp, o.offset());
                                    }
                                });
                return committed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        private Admin admin() {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            return Admin.create(props);
        }

        /** Appends rule records to this log's control topic, keyed by rule id, in their order. */
        void publish(List<SavepointRuleVersions.Published> versions) throws Exception {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                for (SavepointRuleVersions.Published v : versions) {
                    producer.send(new ProducerRecord<>(rules, v.ruleId(), v.json())).get();
                }
            }
        }

        /**
         * Waits until a read_committed consumer sees the audit record of each of {@code versions}:
         * the running job has applied them and completed a checkpoint since.
         */
        void awaitApplied(List<SavepointRuleVersions.Published> versions) throws Exception {
            Set<String> expected = new TreeSet<>();
            versions.forEach(v -> expected.add(v.id()));
            await(
                    "audit records of " + expected + " on " + rulesApplied,
                    () ->
                            appliedVersions().stream()
                                    .map(a -> a.ruleId() + "#" + a.ruleVersion())
                                    .collect(Collectors.toSet())
                                    .containsAll(expected));
        }

        /** The audit records a read_committed consumer sees: what the job applied, and when. */
        List<AppliedVersion> appliedVersions() {
            return kafka.readAll(rulesApplied, true).stream()
                    .map(r -> RuleRecords.parseApplied(r.value()))
                    .toList();
        }

        /**
         * The history a replay of this log's control and audit topics applies, as "RULE#version
         * from INSTANT", sorted.
         */
        List<String> appliedInstants() {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            RuleHistoryReader.Snapshot read =
                    RuleHistoryReader.read(
                            props, rules, rulesApplied, RuleFiles.defaults(), TIMEOUT);
            assertThat(read.rejected()).isEmpty();
            assertThat(read.unreadableApplied()).isZero();
            return read.history().versions().stream()
                    .map(v -> v.ruleId() + "#" + v.ruleVersion() + " from " + v.effectiveFrom())
                    .sorted()
                    .toList();
        }

        /** The alerts a read_committed consumer sees. */
        List<JsonNode> alerts() {
            return read(alerts);
        }

        /** The alerts of shadow rules a read_committed consumer sees. */
        List<JsonNode> shadowAlerts() {
            return read(shadowAlerts);
        }

        List<JsonNode> lateEvents() {
            return read(lateEvents);
        }

        /** Where each dead letter came from, "topic/partition/offset": unique per input record. */
        List<String> deadLetterSources() {
            return read(deadLetters).stream()
                    .map(
                            d ->
                                    d.get("topic").asText()
                                            + "/"
                                            + d.get("partition").asInt()
                                            + "/"
                                            + d.get("offset").asLong())
                    .toList();
        }

        /**
         * What each dead letter says, comparable across logs: input topic without the log's name,
         * reason and payload.
         */
        List<String> deadLetterContents() {
            return read(deadLetters).stream()
                    .map(
                            d ->
                                    d.get("topic").asText().substring(name.length() + 1)
                                            + " "
                                            + d.get("reason").asText()
                                            + " "
                                            + d.get("payload").asText())
                    .toList();
        }

        private List<JsonNode> read(String topic) {
            List<JsonNode> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : kafka.readAll(topic, true)) {
                values.add(ContractExample.read(r.value()));
            }
            return values;
        }

        private static JsonNode parse(String line) {
            try {
                return ContractExample.JSON.readTree(line);
            } catch (IOException e) {
                return null;
            }
        }

        private static Instant timestamp(JsonNode json) {
            if (json == null || !json.path("timestamp").isTextual()) {
                return null;
            }
            try {
                return Instant.parse(json.get("timestamp").asText());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
