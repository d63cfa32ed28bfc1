package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.demo.KafkaWarmUp;
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
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades and rescaling: the live job, exactly-once and unbounded, is stopped with a savepoint
 * twice in the middle of the contract's log and restored each time at another parallelism (2, then
 * 4, then 1), while the log arrives in three parts cut by event time, as a live log would between
 * deployments. A read_committed consumer then sees exactly the alerts and dead letters of an
 * uninterrupted run: none lost, none repeated.
 */
class SavepointRescaleITCase {

    /**
     * The log is cut at these event times. Each cut falls inside a match the contract demands
     * (u00035's three structuring deposits, u00008's takeover login and transfer), so partial
     * matches and held-back events have to travel in the savepoints.
     */
    static final Instant FIRST_CUT = Instant.parse("2026-02-25T03:00:00Z");

    static final Instant SECOND_CUT = Instant.parse("2026-03-28T02:10:00Z");

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static EmbeddedKafka kafka;

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

    @Test
    void restoringAtParallelismTwoThenFourThenOneLosesAndRepeatsNoAlert(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path savepoints)
            throws Exception {
        List<List<LiveLog.Line>> parts = LiveLog.contractLogCutAt(FIRST_CUT, SECOND_CUT);
        assertThat(parts).allSatisfy(part -> assertThat(part).isNotEmpty());
        LiveLog staged = LiveLog.create(kafka, "staged");

        staged.produce(parts.get(0));
        Phase first = Phase.run(client, cluster, staged, 2, null, savepoints, false);

        staged.produce(parts.get(1));
        Phase second = Phase.run(client, cluster, staged, 4, first.savepoint, savepoints, false);

        staged.produce(parts.get(2));
        // Drained: the final watermark flushes the matches still waiting for event time, as the
        // end of a bounded run does. (A restored job with --stop-at latest would not finish: see
        // Phase.run.)
        Phase third = Phase.run(client, cluster, staged, 1, second.savepoint, savepoints, true);

        assertThat(first.restoredFrom).isNull();
        assertThat(second.restoredFrom).isEqualTo(first.savepoint);
        assertThat(third.restoredFrom).isEqualTo(second.savepoint);
        assertThat(first.parallelisms).containsOnly(2);
        assertThat(second.parallelisms).containsOnly(4);
        assertThat(third.parallelisms).containsOnly(1);

        LiveLog uninterrupted = LiveLog.uninterruptedRun(kafka, "uninterrupted");

        List<JsonNode> alerts = staged.alerts();
        assertThat(keys(alerts)).isEqualTo(ContractExample.expectedAlerts());
        assertThat(alerts).hasSameSizeAs(ContractExample.expectedAlerts());
        assertThat(ids(alerts)).doesNotHaveDuplicates();
        assertThat(ids(alerts)).containsExactlyInAnyOrderElementsOf(ids(uninterrupted.alerts()));

        assertThat(staged.deadLetterSources())
                .hasSize(ContractExample.BAD_RECORDS)
                .doesNotHaveDuplicates();
        assertThat(staged.deadLetterContents())
                .containsExactlyInAnyOrderElementsOf(uninterrupted.deadLetterContents());
        assertThat(staged.lateEvents()).isEmpty();
        assertThat(uninterrupted.lateEvents()).isEmpty();
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

    /** One deployment of the job: submitted, run until it consumed the log, stopped. */
    private static final class Phase {
        final String savepoint;
        final String restoredFrom;
        final Set<Integer> parallelisms;

        private Phase(String savepoint, String restoredFrom, Set<Integer> parallelisms) {
            this.savepoint = savepoint;
            this.restoredFrom = restoredFrom;
            this.parallelisms = parallelisms;
        }

        /**
         * Submits the unbounded job at {@code parallelism}, restored from {@code savepoint} if not
         * null, waits until it has committed the end of every input partition, then stops it with a
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
                String savepoint,
                Path savepoints,
                boolean drain)
                throws Exception {
            Configuration conf = new Configuration();
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            DetectionJob.build(env, log.config(parallelism, "never", "exactly-once"));
            JobID job = env.executeAsync("fraud-detection").getJobID();

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
            Set<Integer> parallelisms = new TreeSet<>();
            for (AccessExecutionJobVertex v : graph.getAllVertices().values()) {
                parallelisms.add(v.getParallelism());
            }
            return new Phase(
                    taken, restored == null ? null : restored.getExternalPath(), parallelisms);
        }
    }

    /**
     * The contract's log fed to the live job in parts, on its own input and output topics and
     * consumer group (all named after the log), and what the job wrote. Also used by {@link
     * FailureRecoveryITCase}.
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
        final String deadLetters;
        final String lateEvents;

        private LiveLog(EmbeddedKafka kafka, String name) {
            this.kafka = kafka;
            this.name = name;
            for (String file : ContractExample.TOPIC_FILES) {
                inputTopicOfFile.put(file, name + "-" + file.replace(".jsonl", ""));
            }
            this.alerts = name + "-fraud-alerts";
            this.deadLetters = name + "-fraud-dead-letters";
            this.lateEvents = name + "-fraud-late-events";
        }

        /** Creates the topics of a log named {@code name}. */
        static LiveLog create(EmbeddedKafka kafka, String name) {
            LiveLog log = new LiveLog(kafka, name);
            kafka.createTopics(INPUT_PARTITIONS, log.inputTopics().toArray(String[]::new));
            kafka.createTopics(2, log.alerts, log.deadLetters, log.lateEvents);
            return log;
        }

        /** The whole contract log, produced at once and run through bounded, exactly-once. */
        static LiveLog uninterruptedRun(EmbeddedKafka kafka, String name) throws Exception {
            LiveLog log = create(kafka, name);
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

        /** The alerts a read_committed consumer sees. */
        List<JsonNode> alerts() {
            return read(alerts);
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
