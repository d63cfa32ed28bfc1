package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.rules.RuleTopics;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryFiles;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rule versions published around a live job (rules.md, "Rule versions on the control topic"): the
 * unbounded, exactly-once {@link DetectionJob} is fed the log of {@link RuleVersionsLog} in three
 * phases while three rule versions reach its control topic (a) before it starts, (b) while it runs,
 * ahead of its watermark, and (c) while it runs, after the events it asks to judge were processed.
 * The alerts it commits are then compared with a backtest of the same topics (control and audit
 * topics included) and with one of the same log and rule history as files: the same alerts, the
 * same ids, the same versions, at parallelism 1, 2 and 4.
 */
class RuleVersionsITCase {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * The job's default bound of out-of-orderness: its watermark trails an event by this + 1 ms.
     */
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RuleVersionsLog LOG = RuleVersionsLog.create();

    private static EmbeddedKafka kafka;

    @TempDir Path dir;

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

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void theLiveJobAndItsBacktestsGiveTheSameAlertsWhenRuleVersionsArriveBeforeDuringAndAfter(
            int parallelism) throws Exception {
        Deployment live = new Deployment("rv-p" + parallelism, parallelism);

        live.publish(LOG.velocityRecord); // (a): in the history the job reads when it is built
        live.produce(LOG.phases.get(0));
        JobClient job = live.start();
        try {
            live.awaitAlertsOfPhase(job, 0);
            live.publish(LOG.shadowRecord); // (b): ahead of the watermark (phase 1 only)
            live.awaitApplied(job, "NEW_PAYEE_DRAIN");
            live.produce(LOG.phases.get(1));
            live.awaitAlertsOfPhase(job, 1);
            live.publish(LOG.cardTestingRecord); // (c): behind the watermark (end of phase 2)
            live.awaitApplied(job, "CARD_TESTING");
            live.produce(LOG.phases.get(2));
            live.awaitAlertsOfPhase(job, 2);
        } finally {
            live.cancel(job);
        }

        List<JsonNode> alerts = live.read(live.alerts);
        List<JsonNode> shadowAlerts = live.read(live.shadowAlerts);
        List<AppliedVersion> applied =
                live.values(live.applied).stream().map(RuleRecords::parseApplied).toList();

        // The live job: exactly the alerts the log and the versions demand, each once.
        assertThat(keys(alerts)).containsExactlyInAnyOrderElementsOf(expectedKeys(false));
        assertThat(keys(shadowAlerts)).containsExactlyInAnyOrderElementsOf(expectedKeys(true));
        assertThat(shadowAlerts)
                .allSatisfy(a -> assertThat(a.path("mode").asText()).isEqualTo("shadow"));
        assertThat(alerts).noneMatch(a -> a.has("mode"));
        assertThat(live.read(live.deadLetters)).isEmpty();
        assertThat(live.read(live.lateEvents)).isEmpty();
        assertThat(users(alerts)).doesNotContainAnyElementsOf(LOG.usersWithoutAlerts);
        assertThat(users(shadowAlerts)).doesNotContainAnyElementsOf(LOG.usersWithoutAlerts);

        // The audit topic: (a), read with the history when the job was built, applied at its
        // effectiveFrom and recorded on the first start; then the two versions that came while
        // the job ran, one timely, one late.
        assertThat(applied).hasSize(3);
        assertThat(applied.get(0))
                .isEqualTo(
                        new AppliedVersion(
                                "VELOCITY",
                                1,
                                RuleVersionsLog.VELOCITY_FROM,
                                RuleVersionsLog.VELOCITY_FROM,
                                false,
                                LOG.velocityV1,
                                "active"));
        AppliedVersion shadow = applied.get(1);
        assertThat(shadow)
                .isEqualTo(
                        new AppliedVersion(
                                "NEW_PAYEE_DRAIN",
                                1,
                                RuleVersionsLog.SHADOW_FROM,
                                RuleVersionsLog.SHADOW_FROM,
                                false,
                                LOG.payeeDrainShadow,
                                "shadow"));
        AppliedVersion late = applied.get(2);
        assertThat(late.ruleId()).isEqualTo("CARD_TESTING");
        assertThat(late.ruleVersion()).isEqualTo(1);
        assertThat(late.effectiveFrom()).isEqualTo(RuleVersionsLog.CARD_TESTING_FROM);
        assertThat(late.late()).isTrue();
        assertThat(late.patternVersion()).isEqualTo(LOG.cardTestingV1);
        assertThat(late.mode()).isEqualTo("active");
        // From the watermark + 1 ms, when phase 2 had been processed: after its last CARD_TESTING
        // alert (which the job had committed), at most where the phase's ticks took the watermark.
        List<Instant> judgedByTheShippedRule =
                alerts.stream()
                        .filter(a -> a.get("patternVersion").asText().equals(LOG.cardTestingBase))
                        .map(a -> Instant.parse(a.get("detectedAt").asText()))
                        .sorted()
                        .toList();
        assertThat(late.appliedFrom())
                .isAfter(judgedByTheShippedRule.get(judgedByTheShippedRule.size() - 1))
                .isBeforeOrEqualTo(RuleVersionsLog.phaseTick(1).minus(OUT_OF_ORDERNESS));

        // (a) took effect mid-burst at its effectiveFrom: the first alert under it matches events
        // from before that instant; the burst before it, judged by the shipped rule, gave nothing.
        JsonNode velocity = alertOf(alerts, LOG.velocityAcrossItsInstant);
        assertThat(velocity.get("patternVersion").asText()).isEqualTo(LOG.velocityV1);
        assertThat(Instant.parse(velocity.get("detectedAt").asText()))
                .isAfter(RuleVersionsLog.VELOCITY_FROM);
        assertThat(Instant.parse(velocity.get("windowStart").asText()))
                .isBefore(RuleVersionsLog.VELOCITY_FROM);
        assertThat(ids(velocity.get("eventIds"))).containsAll(LOG.velocityEventsBeforeItsVersion);
        assertThat(users(alerts)).doesNotContain("u-vel-before");

        // (b) in shadow from its instant: NEW_PAYEE_DRAIN wrote to fraud-alerts only before it,
        // and the shadow version never wrote there.
        assertThat(alerts)
                .filteredOn(a -> a.get("patternId").asText().equals("NEW_PAYEE_DRAIN"))
                .hasSize(2)
                .allSatisfy(
                        a ->
                                assertThat(Instant.parse(a.get("detectedAt").asText()))
                                        .isBefore(RuleVersionsLog.SHADOW_FROM));
        assertThat(alerts)
                .noneMatch(a -> a.get("patternVersion").asText().equals(LOG.payeeDrainShadow));
        assertThat(shadowAlerts)
                .allSatisfy(
                        a -> {
                            assertThat(a.get("patternVersion").asText())
                                    .isEqualTo(LOG.payeeDrainShadow);
                            assertThat(Instant.parse(a.get("detectedAt").asText()))
                                    .isAfterOrEqualTo(RuleVersionsLog.SHADOW_FROM);
                        });

        // (c) from the watermark, not from its effectiveFrom: the triggers between the two were
        // judged by the shipped CARD_TESTING (3 small payments were enough), those after by (c).
        for (RuleVersionsLog.Expected between :
                List.of(
                        LOG.cardTestingJudgedByTheOldVersion,
                        LOG.cardTestingJudgedByTheOldVersionToo)) {
            JsonNode alert = alertOf(alerts, between);
            assertThat(alert.get("patternVersion").asText()).isEqualTo(LOG.cardTestingBase);
            assertThat(Instant.parse(alert.get("detectedAt").asText()))
                    .isAfterOrEqualTo(RuleVersionsLog.CARD_TESTING_FROM)
                    .isBefore(late.appliedFrom());
        }
        assertThat(alerts)
                .filteredOn(a -> a.get("patternVersion").asText().equals(LOG.cardTestingV1))
                .hasSize(1)
                .allSatisfy(
                        a ->
                                assertThat(Instant.parse(a.get("detectedAt").asText()))
                                        .isAfterOrEqualTo(late.appliedFrom()));
        assertThat(users(alerts)).doesNotContain("u-ct-4");

        // The backtest of the same topics: the control topic and the audit topic's instants.
        BacktestJob.Result fromKafka =
                backtest(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--logins-topic", live.input(Topic.LOGINS),
                        "--transactions-topic", live.input(Topic.TRANSACTIONS),
                        "--account-changes-topic", live.input(Topic.ACCOUNT_CHANGES),
                        "--rules-topic", live.rules,
                        "--rules-applied-topic", live.applied,
                        "--from", RuleVersionsLog.T0.toString(),
                        "--until", RuleVersionsLog.END.toString(),
                        "--output", dir.resolve("kafka/alerts.jsonl").toString(),
                        "--parallelism", Integer.toString(parallelism));
        assertThat(fromKafka.rejectedRuleRecords()).isEmpty();
        assertThat(versions(fromKafka.ruleHistory()))
                .containsExactlyInAnyOrder(
                        "VELOCITY 1 " + RuleVersionsLog.VELOCITY_FROM,
                        "NEW_PAYEE_DRAIN 1 " + RuleVersionsLog.SHADOW_FROM,
                        "CARD_TESTING 1 " + late.appliedFrom());
        assertSameAlerts(fromKafka, alerts, shadowAlerts);

        // The same log and rule history as files: the control topic's records and the audit
        // records in one history file, the log in the generator's layout.
        Path history = dir.resolve("rules-history.jsonl");
        List<RuleRecord> records =
                live.values(live.rules).stream().map(RuleRecords::parse).toList();
        assertThat(records).hasSize(3);
        RuleHistoryFiles.write(history, records, applied);
        Path logDir = writeLog(dir.resolve("log"));
        BacktestJob.Result fromFiles =
                backtest(
                        "--input", logDir.toString(),
                        "--rules-history", history.toString(),
                        "--output", dir.resolve("files/alerts.jsonl").toString(),
                        "--parallelism", Integer.toString(parallelism));
        assertThat(versions(fromFiles.ruleHistory()))
                .containsExactlyInAnyOrderElementsOf(versions(fromKafka.ruleHistory()));
        assertSameAlerts(fromFiles, alerts, shadowAlerts);
    }

    /**
     * The control of the test above: without the audit records a replay applies (c) at its
     * effectiveFrom. It then misses the alert the live job raised under the shipped CARD_TESTING on
     * 3 small payments, and judges the other CARD_TESTING alert of phase 2 after that instant by
     * (c): the recorded instant is what makes a replay agree with the live job.
     */
    @Test
    void aReplayWithoutTheAuditRecordsAppliesTheLateVersionFromItsEffectiveFromInstead()
            throws Exception {
        Path history = dir.resolve("rules-history-without-audit.jsonl");
        RuleHistoryFiles.write(
                history,
                Stream.of(LOG.velocityRecord, LOG.shadowRecord, LOG.cardTestingRecord)
                        .map(RuleRecords::parse)
                        .toList(),
                List.of());

        BacktestJob.Result unaudited =
                backtest(
                        "--input", writeLog(dir.resolve("log")).toString(),
                        "--rules-history", history.toString(),
                        "--output", dir.resolve("unaudited/alerts.jsonl").toString(),
                        "--parallelism", "2");

        RuleVersionsLog.Expected fourSmall = LOG.cardTestingJudgedByTheOldVersionToo;
        List<String> expected = new ArrayList<>(expectedKeys(false));
        expected.remove(LOG.cardTestingJudgedByTheOldVersion.key());
        expected.set(
                expected.indexOf(fourSmall.key()),
                key(
                        fourSmall.ruleId(),
                        LOG.cardTestingV1,
                        fourSmall.userId(),
                        fourSmall.eventIds()));
        assertThat(keysOf(unaudited.alerts())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keysOf(unaudited.shadowAlerts()))
                .containsExactlyInAnyOrderElementsOf(expectedKeys(true));
    }

    /** The backtest's alerts are the live job's: same ids, versions, instants and events. */
    private static void assertSameAlerts(
            BacktestJob.Result replay, List<JsonNode> alerts, List<JsonNode> shadowAlerts) {
        assertThat(replay.lateEvents()).isEmpty();
        assertThat(replay.deadLetters()).isEmpty();
        assertThat(replay.alerts()).extracting(Alert::alertId).doesNotHaveDuplicates();
        assertThat(byId(replay.alerts())).isEqualTo(byIdJson(alerts));
        assertThat(byId(replay.shadowAlerts())).isEqualTo(byIdJson(shadowAlerts));
    }

    private static BacktestJob.Result backtest(String... args) throws Exception {
        return BacktestJob.run(
                StreamExecutionEnvironment.getExecutionEnvironment(),
                BacktestJob.Config.parse(args));
    }

    /** The log as files, one per topic, each in event-time order, as the generator writes them. */
    private static Path writeLog(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        for (Topic topic : Topic.values()) {
            List<String> lines =
                    LOG.all().stream()
                            .filter(l -> l.topic() == topic)
                            .map(RuleVersionsLog.Line::json)
                            .toList();
            Files.write(logDir.resolve(topic.fileName()), lines, StandardCharsets.UTF_8);
        }
        return logDir;
    }

    /** "ruleId version effectiveFrom" of each version of the control topic in a history. */
    private static List<String> versions(RuleHistory history) {
        return history.versions().stream()
                .map(v -> v.ruleId() + " " + v.ruleVersion() + " " + v.effectiveFrom())
                .toList();
    }

    static String key(String ruleId, String patternVersion, String userId, List<String> eventIds) {
        return ruleId + " " + patternVersion + " " + userId + " " + eventIds;
    }

    private static List<String> expectedKeys(boolean shadow) {
        return LOG.allExpected().stream()
                .filter(e -> e.shadow() == shadow)
                .map(RuleVersionsLog.Expected::key)
                .toList();
    }

    private static List<String> keys(List<JsonNode> alerts) {
        return alerts.stream().map(RuleVersionsITCase::key).toList();
    }

    private static String key(JsonNode a) {
        return key(
                a.get("patternId").asText(),
                a.get("patternVersion").asText(),
                a.get("userId").asText(),
                ids(a.get("eventIds")));
    }

    private static List<String> keysOf(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> key(a.patternId(), a.patternVersion(), a.userId(), a.eventIds()))
                .toList();
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static Set<String> users(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("userId").asText()).collect(Collectors.toSet());
    }

    private static JsonNode alertOf(List<JsonNode> alerts, RuleVersionsLog.Expected expected) {
        return alerts.stream()
                .filter(a -> key(a).equals(expected.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + expected.key()));
    }

    /** alertId -> "patternVersion detectedAt eventIds" of a replay's alerts. */
    private static Map<String, String> byId(List<Alert> alerts) {
        return index(
                alerts,
                Alert::alertId,
                a -> a.patternVersion() + " " + a.detectedAt() + " " + a.eventIds());
    }

    /** The same of alerts as the job wrote them. */
    private static Map<String, String> byIdJson(List<JsonNode> alerts) {
        return index(
                alerts,
                a -> a.get("alertId").asText(),
                a ->
                        a.get("patternVersion").asText()
                                + " "
                                + Instant.parse(a.get("detectedAt").asText())
                                + " "
                                + ids(a.get("eventIds")));
    }

    private static <T> Map<String, String> index(
            List<T> alerts, Function<T, String> id, Function<T, String> what) {
        Map<String, String> map = new TreeMap<>();
        for (T a : alerts) {
            assertThat(map.put(id.apply(a), what.apply(a))).as("repeated alert id").isNull();
        }
        return map;
    }

    /**
     * One live deployment on its own topics, consumer group and transactional ids (all named after
     * it): what it is fed and what it wrote.
     */
    private static final class Deployment {
        final String name;
        final int parallelism;
        final String alerts;
        final String shadowAlerts;
        final String deadLetters;
        final String lateEvents;
        final String rules;
        final String applied;

        Deployment(String name, int parallelism) {
            this.name = name;
            this.parallelism = parallelism;
            this.alerts = name + "-fraud-alerts";
            this.shadowAlerts = name + "-fraud-alerts-shadow";
            this.deadLetters = name + "-fraud-dead-letters";
            this.lateEvents = name + "-fraud-late-events";
            this.rules = name + "-fraud-rules";
            this.applied = name + "-fraud-rules-applied";
            List<String> inputs = new ArrayList<>();
            for (Topic t : Topic.values()) {
                inputs.add(input(t));
            }
            kafka.createTopics(RuleVersionsLog.PARTITIONS, inputs.toArray(String[]::new));
            kafka.createTopics(2, alerts, shadowAlerts, deadLetters, lateEvents);
            // The control and audit topics as the job creates them: one partition, kept forever.
            new RuleTopics(rules, applied, RuleHistory.DEFAULT_HORIZON)
                    .ensureTopics(clientProperties());
        }

        String input(Topic topic) {
            return name + "-" + topic.defaultName();
        }

        DetectionJob.Config config() {
            return DetectionJob.Config.parse(
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--logins-topic",
                    input(Topic.LOGINS),
                    "--transactions-topic",
                    input(Topic.TRANSACTIONS),
                    "--account-changes-topic",
                    input(Topic.ACCOUNT_CHANGES),
                    "--alerts-topic",
                    alerts,
                    "--shadow-alerts-topic",
                    shadowAlerts,
                    "--dead-letter-topic",
                    deadLetters,
                    "--late-events-topic",
                    lateEvents,
                    "--rules-topic",
                    rules,
                    "--rules-applied-topic",
                    applied,
                    "--group-id",
                    name,
                    "--transactional-id-prefix",
                    name,
                    "--starting-offsets",
                    "earliest",
                    "--stop-at",
                    "never",
                    "--delivery-guarantee",
                    "exactly-once",
                    "--checkpoint-interval",
                    "500ms",
                    // Longer than the test: no partition turns idle in the pauses between the
                    // phases (were they all idle, the first to resume would set the watermark
                    // alone and the others' events could arrive late). Every partition has events
                    // in every phase, so none holds the watermark back.
                    "--idle-timeout",
                    "10m",
                    "--parallelism",
                    Integer.toString(parallelism));
        }

        /** Builds the job (reading the control topic's history) and submits it. */
        JobClient start() throws Exception {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DetectionJob.build(env, config());
            return env.executeAsync("fraud-detection-" + name);
        }

        void cancel(JobClient job) throws Exception {
            JobStatus status = job.getJobStatus().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                job.cancel().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!job.getJobStatus()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .isGloballyTerminalState()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("job " + name + " did not end in time");
                }
                Thread.sleep(100);
            }
        }

        /** Appends a rule record to the control topic, keyed by its rule id. */
        void publish(String record) throws Exception {
            String ruleId = RuleRecords.parse(record).ruleId();
            try (KafkaProducer<String, String> producer = producer()) {
                producer.send(new ProducerRecord<>(rules, ruleId, record))
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }

        /**
         * Appends lines to the input topics in their order, keyed by user, each record stamped with
         * its event time (events.md); a tick to the partition it names.
         */
        void produce(List<RuleVersionsLog.Line> lines) {
            try (KafkaProducer<String, String> producer = producer()) {
                for (RuleVersionsLog.Line l : lines) {
                    producer.send(
                            new ProducerRecord<>(
                                    input(l.topic()),
                                    l.partition(),
                                    l.time().toEpochMilli(),
                                    l.userId(),
                                    l.json()));
                }
                producer.flush();
            }
        }

        /** Waits until the job has committed every alert expected up to the end of a phase. */
        void awaitAlertsOfPhase(JobClient job, int phase) throws Exception {
            List<String> active = new ArrayList<>();
            List<String> shadow = new ArrayList<>();
            for (int p = 0; p <= phase; p++) {
                for (RuleVersionsLog.Expected e : LOG.expectedIn(p)) {
                    (e.shadow() ? shadow : active).add(e.key());
                }
            }
            await(
                    job,
                    "the alerts of phase " + (phase + 1),
                    () ->
                            keys(read(alerts)).containsAll(active)
                                    && keys(read(shadowAlerts)).containsAll(shadow));
        }

        /** Waits until the job has committed the audit record of a version of {@code ruleId}. */
        void awaitApplied(JobClient job, String ruleId) throws Exception {
            await(
                    job,
                    "audit record of " + ruleId,
                    () ->
                            read(applied).stream()
                                    .anyMatch(a -> a.get("ruleId").asText().equals(ruleId)));
        }

        private void await(JobClient job, String what, Check condition) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.holds()) {
                JobStatus status = job.getJobStatus().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    throw new AssertionError("job " + name + " ended (" + status + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + what + " within " + TIMEOUT);
                }
                Thread.sleep(100);
            }
        }

        /** What a read_committed consumer sees on a topic, as JSON. */
        List<JsonNode> read(String topic) {
            List<JsonNode> json = new ArrayList<>();
            for (String value : values(topic)) {
                try {
                    json.add(JSON.readTree(value));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return json;
        }

        /** The values a read_committed consumer sees on a topic, as written. */
        List<String> values(String topic) {
            return kafka.readAll(topic, true).stream().map(ConsumerRecord::value).toList();
        }

        private KafkaProducer<String, String> producer() {
            Properties props = clientProperties();
            props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
            return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }

        private static Properties clientProperties() {
            Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            return props;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
