package io.fraudcep.jobs;

import static io.fraudcep.jobs.SavepointRescaleITCase.FIRST_CUT;
import static io.fraudcep.jobs.SavepointRescaleITCase.TIMEOUT;
import static io.fraudcep.jobs.SavepointRescaleITCase.await;
import static io.fraudcep.jobs.SavepointRescaleITCase.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.SavepointRescaleITCase.LiveLog;
import io.fraudcep.jobs.SavepointRescaleITCase.LiveLog.Line;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job's event time under hostile timing, on the in-JVM broker ("Event time that one bad
 * record or a producer pause cannot blind"): a far-future record, a job started before its
 * producers, one topic paused for longer than v1's idle timeout, a partition silent for good. Each
 * must lose no event to lateness and give the complete alert set of the contract's log.
 */
class EventTimeRobustnessITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Event time well after the contract's log, to move every partition past its end. */
    private static final String TICK_TIME = "2026-06-01T00:00:00Z";

    /** How long the transactions topic pauses: longer than v1's 30 s idle timeout. */
    private static final Duration PAUSE = Duration.ofSeconds(45);

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

    /**
     * The repro: with the other partitions idle, one record dated 9999-12-31 would set the
     * watermark for good and turn every later event late. It is a dead letter instead, and a card
     * testing burst produced after it still alerts, while the job runs.
     */
    @Test
    void aFarFutureRecordIsADeadLetterAndAScenarioAfterItStillAlerts(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        LiveLog log = LiveLog.create(kafka, "future");
        JobID job = start(log.config(1, "never", "exactly-once", "2s"));
        String transactions = log.inputTopics().get(1);
        Thread.sleep(4_000); // every partition idle
        send(
                transactions,
                0,
                "{\"eventId\":\"x\",\"userId\":\"u\",\"type\":\"CARD_PAYMENT\","
                        + "\"timestamp\":\"9999-12-31T23:59:59Z\",\"amount\":\"5.00\"}");
        Thread.sleep(4_000); // long enough for the record to have set the watermark
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(card("ct-" + i, "victim", "2026-03-02T09:0" + i + ":00Z", "1.00"));
        }
        burst.add(card("ct-big", "victim", "2026-03-02T09:04:00Z", "750.00"));
        burst.add(tick("tick", 0));
        for (String line : burst) {
            send(transactions, 0, line);
        }

        await("the card testing alert", () -> !log.alerts().isEmpty());
        client.cancel(job).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(log.alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.get("patternId").asText()).isEqualTo("CARD_TESTING");
                            assertThat(a.get("userId").asText()).isEqualTo("victim");
                            assertThat(Instant.parse(a.get("detectedAt").asText()))
                                    .isEqualTo(Instant.parse("2026-03-02T09:04:00Z"));
                        });
        assertThat(log.lateEvents()).isEmpty();
        List<JsonNode> deadLetters =
                kafka.readAll(log.deadLetters, true).stream()
                        .map(r -> ContractExample.read(r.value()))
                        .toList();
        assertThat(deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.get("reason").asText()).isEqualTo("FUTURE_TIMESTAMP");
                            assertThat(d.get("detail").asText())
                                    .contains("9999-12-31T23:59:59Z")
                                    .contains("ahead of the wall clock");
                            assertThat(d.get("topic").asText()).isEqualTo(transactions);
                            assertThat(d.get("offset").asLong()).isZero();
                        });
    }

    /**
     * Run A of the issue: the job waits longer than v1's 30 s idle timeout before its producers
     * start, then the three topics are produced in parallel. With the default pause tolerance no
     * partition has turned idle, so none can run ahead of the others.
     */
    @Test
    void aJobStartedBeforeItsProducersLosesNothing(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints)
            throws Exception {
        LiveLog log = LiveLog.create(kafka, "before-producers");
        JobID job =
                start(
                        log.config(
                                2,
                                "never",
                                "exactly-once",
                                DetectionJob.DEFAULT_IDLE_TIMEOUT.toSeconds() + "s"));
        Thread.sleep(35_000);
        List<Line> all = LiveLog.contractLogCutAt().get(0);
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (String file : ContractExample.TOPIC_FILES) {
            List<Line> topic = all.stream().filter(l -> l.topicFile().equals(file)).toList();
            producers.add(CompletableFuture.runAsync(() -> log.produce(topic)));
        }
        CompletableFuture.allOf(producers.toArray(new CompletableFuture[0])).get();

        drain(client, job, log, savepoints);

        assertComplete(log);
    }

    /**
     * The transactions topic stops at a cut of the log for 45 s of wall clock (half as long again
     * as v1's 30 s idle timeout, which turned the backlog of such a pause late) while the logins
     * and account changes carry on to the end, then resumes with its backlog.
     */
    @Test
    void aTopicPausedLongerThanV1sIdleTimeoutLosesNothing(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints)
            throws Exception {
        LiveLog log = LiveLog.create(kafka, "paused-topic");
        JobID job = start(log.config(2, "never", "exactly-once", "15m"));
        String paused = ContractExample.TOPIC_FILES.get(1);
        List<List<Line>> parts = LiveLog.contractLogCutAt(FIRST_CUT);
        List<Line> before = new ArrayList<>(parts.get(0));
        List<Line> backlog = new ArrayList<>();
        for (Line l : parts.get(1)) {
            (l.topicFile().equals(paused) ? backlog : before).add(l);
        }
        log.produce(before);
        Thread.sleep(PAUSE.toMillis());
        log.produce(backlog);

        drain(client, job, log, savepoints);

        assertComplete(log);
    }

    /**
     * One transactions partition never receives a record. With a 10 s tolerance it turns idle and
     * stops holding the watermark: the whole alert set arrives while the job runs, with no drain.
     */
    @Test
    void aPartitionSilentForGoodDoesNotHoldAlertsBack(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        LiveLog log = LiveLog.create(kafka, "silent-partition");
        JobID job = start(log.config(2, "never", "exactly-once", "10s"));
        String transactions = ContractExample.TOPIC_FILES.get(1);
        int silent = LiveLog.INPUT_PARTITIONS - 1;
        List<Line> all = LiveLog.contractLogCutAt().get(0);
        log.produce(
                all,
                l -> {
                    int p = Math.floorMod(Arrays.hashCode(l.key()), silent + 1);
                    return l.topicFile().equals(transactions) && p == silent ? 0 : p;
                });
        // Time goes on: a later event on every partition but the silent one.
        for (String topic : log.inputTopics()) {
            for (int p = 0; p < LiveLog.INPUT_PARTITIONS; p++) {
                if (!(topic.equals(log.inputTopics().get(1)) && p == silent)) {
                    send(topic, p, tick("tick-" + topic, p));
                }
            }
        }

        int expected = ContractExample.expectedAlerts().size();
        await("all " + expected + " alerts", () -> log.alerts().size() >= expected);
        client.cancel(job).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertComplete(log);
    }

    private static void assertComplete(LiveLog log) {
        assertThat(log.lateEvents()).as("late events").isEmpty();
        assertThat(keys(log.alerts())).isEqualTo(ContractExample.expectedAlerts());
        assertThat(log.alerts()).hasSize(ContractExample.expectedAlerts().size());
        assertThat(log.deadLetterSources()).hasSize(ContractExample.BAD_RECORDS);
    }

    private static JobID start(DetectionJob.Config config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.build(env, config);
        return env.executeAsync("fraud-detection").getJobID();
    }

    /** Waits until the job committed all input, then stops it with a savepoint after draining. */
    private static void drain(ClusterClient<?> client, JobID job, LiveLog log, Path savepoints)
            throws Exception {
        log.awaitCommittedToEnd();
        client.stopWithSavepoint(
                        job, true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(
                        client.requestJobResult(job)
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .getApplicationStatus()
                                .deriveJobStatus())
                .isEqualTo(JobStatus.FINISHED);
    }

    private static String card(String id, String user, String time, String amount) {
        return "{\"eventId\":\""
                + id
                + "\",\"userId\":\""
                + user
                + "\",\"type\":\"CARD_PAYMENT\",\"timestamp\":\""
                + time
                + "\",\"amount\":\""
                + amount
                + "\"}";
    }

    /** A deposit that fires nothing, dated after the log: time goes on on its partition. */
    private static String tick(String id, int partition) {
        return "{\"eventId\":\""
                + id
                + "-"
                + partition
                + "\",\"userId\":\"clock\",\"type\":\"DEPOSIT\",\"timestamp\":\""
                + TICK_TIME
                + "\",\"amount\":\"10.00\"}";
    }

    private static void send(String topic, int partition, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(
                    new ProducerRecord<>(
                            topic, partition, null, value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }
}
