package io.fraudcep.jobs.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.Fixtures;
import io.fraudcep.sampledata.LoadReport;
import io.fraudcep.sampledata.LogLoader;
import io.fraudcep.sampledata.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism of the backtest across sources and parallelism, and against the live job: the demo
 * log (60 users, 30 days, every pattern, duplicates and bad records) loaded by {@link LogLoader}
 * into an in-JVM broker (three topics of two partitions), and the same log from its files.
 */
class KafkaBacktestITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOG = Fixtures.demo();
    private static final List<String> TOPIC_FILES =
            List.of("user-logins.jsonl", "user-transactions.jsonl", "user-account-changes.jsonl");

    /** Replays already run, by source and parallelism: tests share them. */
    private static final Map<String, BacktestJob.Result> RUNS = new HashMap<>();

    private static EmbeddedKafka kafka;

    @TempDir static Path dir;

    @BeforeAll
    static void loadTheDemoLog() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "user-logins", "user-transactions", "user-account-changes");
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
        Properties producer = new Properties();
        producer.put("bootstrap.servers", kafka.bootstrapServers());
        LoadReport load = LogLoader.load(LOG, producer, TopicNames.defaults());
        assertThat(load.skipped()).isZero();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void replaysKafkaIntoTheSameAlertsAtParallelismOneTwoAndFour() throws Exception {
        List<Alert> p1 = replay("kafka", 1).alerts();

        assertThat(p1).hasSize(positives());
        assertThat(replay("kafka", 2).alerts()).isEqualTo(p1);
        assertThat(replay("kafka", 4).alerts()).isEqualTo(p1);
    }

    @Test
    void replaysTheFilesIntoTheAlertsOfKafkaAtParallelismOneTwoAndFour() throws Exception {
        List<Alert> fromKafka = replay("kafka", 2).alerts();

        assertThat(replay("files", 1).alerts()).isEqualTo(fromKafka);
        assertThat(replay("files", 2).alerts()).isEqualTo(fromKafka);
        assertThat(replay("files", 4).alerts()).isEqualTo(fromKafka);
        BacktestJob.Result files = replay("files", 2);
        BacktestJob.Result topics = replay("kafka", 2);
        assertThat(topics.eventsRead()).isEqualTo(files.eventsRead());
        assertThat(topics.deadLetters()).hasSameSizeAs(files.deadLetters()).isNotEmpty();
        assertThat(topics.duplicates()).isEqualTo(files.duplicates()).isPositive();
        assertThat(topics.lateEvents()).isEmpty();
    }

    @Test
    void raisesTheAlertsTheLiveDetectionJobRaisedOnTheSameTopics() throws Exception {
        kafka.createTopics(2, "live-alerts", "live-dead-letters", "live-late-events");
        DetectionJob.Config live =
                DetectionJob.Config.parse(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--alerts-topic", "live-alerts",
                        "--dead-letter-topic", "live-dead-letters",
                        "--late-events-topic", "live-late-events",
                        "--group-id", "live",
                        "--transactional-id-prefix", "live",
                        "--starting-offsets", "earliest",
                        "--stop-at", "latest",
                        "--checkpoint-interval", "1s",
                        "--parallelism", "2");
        DetectionJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), live);

        List<JsonNode> liveAlerts = alerts(kafka.readAll("live-alerts", true));
        List<Alert> backtest = replay("kafka", 2).alerts();
        assertThat(sortedIds(liveAlerts)).isEqualTo(sortedIds(backtest)).hasSize(positives());
        for (JsonNode a : liveAlerts) {
            Alert b = byId(backtest, a.get("alertId").asText());
            assertThat(a.get("detectedAt").asText()).isEqualTo(b.detectedAt().toString());
            assertThat(a.get("patternVersion").asText()).isEqualTo(b.patternVersion());
            assertThat(a.get("summary").asText()).isEqualTo(b.summary());
        }
    }

    @Test
    void writesTheAlertsToATopicAndLeavesNoConsumerGroupBehind() throws Exception {
        kafka.createTopics(2, "backtest-alerts");
        Path out = dir.resolve("to-topic/alerts.jsonl");
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--alerts-topic",
                        "backtest-alerts",
                        "--output",
                        out.toString(),
                        "--parallelism",
                        "2");
        BacktestJob.Result result = run(config);

        BacktestWriter.write(config, result);

        List<JsonNode> onTopic = alerts(kafka.readAll("backtest-alerts", false));
        assertThat(sortedIds(onTopic)).isEqualTo(sortedIds(result.alerts())).hasSize(positives());
        assertThat(Files.readAllLines(out)).hasSize(positives());
        List<String> groups = new ArrayList<>();
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            for (GroupListing g : a.listGroups().all().get()) {
                groups.add(g.groupId());
            }
        }
        assertThat(groups).noneMatch(g -> g.startsWith("fraud-backtest"));
    }

    @Test
    void replaysOnlyTheRecordsFromTheStartTimeUntilTheEndTime() throws Exception {
        // Kafka finds a time's offset by record timestamp. The loader stamps a record with its
        // event time, but a line without one with the load time, so the demo log's bad records
        // would cut the range short: the range is tried on the good lines only, produced with
        // their event time as record timestamp.
        TopicNames ranged = new TopicNames("range-logins", "range-tx", "range-changes");
        kafka.createTopics(2, ranged.logins(), ranged.transactions(), ranged.accountChanges());
        List<Instant> times = new ArrayList<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<String> topics =
                    List.of(ranged.logins(), ranged.transactions(), ranged.accountChanges());
            for (int i = 0; i < TOPIC_FILES.size(); i++) {
                for (String line : Files.readAllLines(LOG.resolve(TOPIC_FILES.get(i)))) {
                    Instant t = eventTime(line);
                    if (t != null) {
                        times.add(t);
                        JsonNode user = JSON.readTree(line).get("userId");
                        producer.send(
                                new ProducerRecord<>(
                                        topics.get(i),
                                        null,
                                        t.toEpochMilli(),
                                        user == null ? null : user.asText(),
                                        line));
                    }
                }
            }
        }
        Instant from = Instant.parse("2026-01-12T00:00:00Z");
        Instant until = Instant.parse("2026-01-19T00:00:00Z");

        BacktestJob.Result week =
                run(
                        BacktestJob.Config.parse(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--logins-topic", ranged.logins(),
                                "--transactions-topic", ranged.transactions(),
                                "--account-changes-topic", ranged.accountChanges(),
                                "--from", from.toString(),
                                "--until", Long.toString(until.toEpochMilli()),
                                "--output", dir.resolve("week/alerts.jsonl").toString(),
                                "--parallelism", "2"));

        long inRange = times.stream().filter(t -> !t.isBefore(from) && t.isBefore(until)).count();
        assertThat(week.eventsRead()).isEqualTo(inRange).isPositive();
        assertThat(week.alerts())
                .isNotEmpty()
                .allMatch(a -> !a.detectedAt().isBefore(from) && a.detectedAt().isBefore(until));
    }

    /** A replay of the demo log from "kafka" or "files", run once per class and parallelism. */
    private static synchronized BacktestJob.Result replay(String source, int parallelism)
            throws Exception {
        String key = source + parallelism;
        BacktestJob.Result cached = RUNS.get(key);
        if (cached == null) {
            String output = dir.resolve(key + "/alerts.jsonl").toString();
            BacktestJob.Config config =
                    source.equals("kafka")
                            ? BacktestJob.Config.parse(
                                    "--bootstrap-servers", kafka.bootstrapServers(),
                                    "--output", output,
                                    "--parallelism", Integer.toString(parallelism))
                            : BacktestJob.Config.parse(
                                    "--input", LOG.toString(),
                                    "--output", output,
                                    "--parallelism", Integer.toString(parallelism));
            cached = run(config);
            RUNS.put(key, cached);
        }
        return cached;
    }

    private static BacktestJob.Result run(BacktestJob.Config config) throws Exception {
        return BacktestJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }

    private static int positives() throws Exception {
        int n = 0;
        for (String line : Files.readAllLines(LOG.resolve("labels.jsonl"))) {
            if (JSON.readTree(line).get("positive").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    /** The {@code timestamp} of a line, or null if it has none (a bad record). */
    private static Instant eventTime(String line) {
        try {
            return Instant.parse(JSON.readTree(line).get("timestamp").asText());
        } catch (Exception notAnEvent) {
            return null;
        }
    }

    private static List<JsonNode> alerts(List<ConsumerRecord<String, String>> records)
            throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            alerts.add(JSON.readTree(r.value()));
        }
        return alerts;
    }

    private static List<String> sortedIds(List<?> alerts) {
        List<String> ids = new ArrayList<>();
        for (Object a : alerts) {
            ids.add(a instanceof Alert x ? x.alertId() : ((JsonNode) a).get("alertId").asText());
        }
        ids.sort(null);
        return ids;
    }

    private static Alert byId(List<Alert> alerts, String id) {
        return alerts.stream().filter(a -> a.alertId().equals(id)).findFirst().orElseThrow();
    }
}
