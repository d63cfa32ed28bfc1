package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The live job end to end on a real in-JVM Kafka broker and a MiniCluster: the contract's log, with
 * junk records and producer-retry duplicates, produced without keys into three topics of three
 * partitions; the job runs exactly-once at parallelism 2 until the end of the topics; the alerts
 * are read back with read_committed.
 */
class DetectionJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void produceTheLog() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, "user-logins", "user-transactions", "user-account-changes");
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (String file : ContractExample.TOPIC_FILES) {
                String topic = file.replace(".jsonl", "");
                for (String line : ContractExample.lines(file)) {
                    producer.send(
                            new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void alertsExactlyWhatTheContractDemandsAndRoutesEveryBadRecord() throws Exception {
        Run run = run(2);

        Set<String> keys = new TreeSet<>();
        for (JsonNode a : run.alerts) {
            keys.add(ContractExample.alertKey(a));
            assertThat(a.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(a.get("patternVersion").asText())
                    .startsWith(RuleFiles.defaults().version() + "-");
            assertThat(a.get("summary").asText()).isNotBlank();
            assertThat(a.get("windowStart").asText())
                    .isLessThanOrEqualTo(a.get("detectedAt").asText());
        }
        assertThat(run.alerts).hasSize(ContractExample.expectedAlerts().size());
        assertThat(keys).isEqualTo(ContractExample.expectedAlerts());
        assertThat(run.alertKeys).as("Kafka key = userId").allMatch(k -> k.startsWith("u"));

        assertThat(run.deadLetters).hasSize(ContractExample.BAD_RECORDS);
        TreeMap<String, Integer> reasons = new TreeMap<>();
        for (JsonNode d : run.deadLetters) {
            reasons.merge(d.get("reason").asText(), 1, Integer::sum);
            assertThat(d.get("topic").asText()).startsWith("user-");
            assertThat(d.get("offset").asLong()).isNotNegative();
            assertThat(d.has("payload")).isTrue();
        }
        assertThat(reasons)
                .containsOnlyKeys(
                        "NOT_JSON",
                        "NOT_AN_OBJECT",
                        "UNKNOWN_TYPE",
                        "MISSING_FIELD",
                        "OUT_OF_RANGE");
        assertThat(run.lateEvents).isEmpty();
        assertThat((Long) run.result.getAccumulatorResult(FraudPipeline.DUPLICATES))
                .isEqualTo(ContractExample.DUPLICATES);
        assertThat(run.shadowAlerts).as("the shipped rules are all active").isEmpty();
    }

    @Test
    void aShadowRuleAlertsOnlyToTheShadowTopicWithItsMode(@TempDir Path dir) throws Exception {
        String defaults;
        try (InputStream in = RuleFiles.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path rules =
                Files.writeString(
                        dir.resolve("rules.yaml"),
                        defaults.replace(
                                "  - id: VELOCITY\n", "  - id: VELOCITY\n    mode: shadow\n"));
        Set<String> velocity = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        for (String key : ContractExample.expectedAlerts()) {
            (key.contains(" VELOCITY ") ? velocity : others).add(key);
        }

        Run run = run(2, "--rules", rules.toString());

        assertThat(velocity).isNotEmpty();
        assertThat(keys(run.alerts)).isEqualTo(others);
        assertThat(keys(run.shadowAlerts)).isEqualTo(velocity);
        assertThat(run.shadowAlerts)
                .allMatch(a -> a.get("mode").asText().equals("shadow"))
                .allMatch(a -> a.get("schemaVersion").asInt() == 1);
        assertThat(run.alerts).noneMatch(a -> a.has("mode"));
    }

    private static Set<String> keys(List<JsonNode> alerts) {
        Set<String> keys = new TreeSet<>();
        alerts.forEach(a -> keys.add(ContractExample.alertKey(a)));
        return keys;
    }

    @Test
    void alertIdsAreTheSameAcrossRunsAndParallelism() throws Exception {
        Set<String> first = run(2).alertIds();
        Set<String> again = run(2).alertIds();
        Set<String> single = run(1).alertIds();

        assertThat(first).hasSize(ContractExample.expectedAlerts().size());
        assertThat(again).isEqualTo(first);
        assertThat(single).isEqualTo(first);
    }

    /** Runs the job once, to the end of the topics, with its own output topics and group. */
    private static Run run(int parallelism, String... options) throws Exception {
        int n = RUNS.incrementAndGet();
        String alerts = "fraud-alerts-" + n;
        String shadowAlerts = "fraud-alerts-shadow-" + n;
        String deadLetters = "fraud-dead-letters-" + n;
        String late = "fraud-late-events-" + n;
        kafka.createTopics(2, alerts, shadowAlerts, deadLetters, late);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--alerts-topic",
                                alerts,
                                "--shadow-alerts-topic",
                                shadowAlerts,
                                "--dead-letter-topic",
                                deadLetters,
                                "--late-events-topic",
                                late,
                                "--group-id",
                                "it-" + n,
                                "--transactional-id-prefix",
                                "it-" + n,
                                "--starting-offsets",
                                "earliest",
                                "--stop-at",
                                "latest",
                                "--delivery-guarantee",
                                "exactly-once",
                                "--checkpoint-interval",
                                "1s",
                                "--parallelism",
                                Integer.toString(parallelism)));
        args.addAll(List.of(options));
        DetectionJob.Config config = DetectionJob.Config.parse(args.toArray(new String[0]));
        JobExecutionResult result =
                DetectionJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        return new Run(
                result,
                kafka.readAll(alerts, true),
                kafka.readAll(shadowAlerts, true),
                kafka.readAll(deadLetters, true),
                kafka.readAll(late, true));
    }

    private static final class Run {
        final JobExecutionResult result;
        final List<JsonNode> alerts = new ArrayList<>();
        final List<String> alertKeys = new ArrayList<>();
        final List<JsonNode> shadowAlerts = new ArrayList<>();
        final List<JsonNode> deadLetters = new ArrayList<>();
        final List<JsonNode> lateEvents = new ArrayList<>();

        Run(
                JobExecutionResult result,
                List<ConsumerRecord<String, String>> alertRecords,
                List<ConsumerRecord<String, String>> shadowAlertRecords,
                List<ConsumerRecord<String, String>> deadLetterRecords,
                List<ConsumerRecord<String, String>> lateRecords) {
            this.result = result;
            for (ConsumerRecord<String, String> r : alertRecords) {
                alerts.add(ContractExample.read(r.value()));
                alertKeys.add(r.key());
            }
            shadowAlertRecords.forEach(r -> shadowAlerts.add(ContractExample.read(r.value())));
            deadLetterRecords.forEach(r -> deadLetters.add(ContractExample.read(r.value())));
            lateRecords.forEach(r -> lateEvents.add(ContractExample.read(r.value())));
        }

        Set<String> alertIds() {
            Set<String> ids = new TreeSet<>();
            alerts.forEach(a -> ids.add(a.get("alertId").asText()));
            return ids;
        }
    }
}
