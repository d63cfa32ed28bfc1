package io.fraudcep.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleHistoryReader} against a real in-JVM broker: what it reads, where it stops, and the
 * history it builds.
 */
class RuleHistoryReaderITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant DEC_1 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant DEC_5 = Instant.parse("2026-12-05T00:00:00Z");
    private static final Instant DEC_6 = Instant.parse("2026-12-06T08:30:00Z");

    /** The rule file's rules: version 0 of CARD_TESTING and of the others. */
    private static final RuleSet BASE = RuleFiles.defaults();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    private static Properties producer() {
        Properties p = client();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** A record of {@code id} whose rule is the smallest valid one in {@code mode}. */
    private static String record(String id, long version, Instant effectiveFrom, String mode) {
        String rule =
                "{\"id\":\""
                        + id
                        + "\",\"severity\":\"HIGH\",\"mode\":\""
                        + mode
                        + "\",\"window\":\"15m\",\"steps\":[{\"name\":\"pay\",\"type\":"
                        + "\"CARD_PAYMENT\"}]}";
        return RuleRecords.toJson(
                new RuleRecord(id, version, effectiveFrom, null, rule, null, "test", null));
    }

    private static void send(
            KafkaProducer<String, String> p, String topic, int partition, String key, String value)
            throws Exception {
        p.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    @Test
    void readsEveryPartitionToItsEndAndBuildsTheHistoryAtTheAppliedInstants() throws Exception {
        String rules = "history-rules";
        String applied = "history-applied";
        kafka.createTopics(3, rules);
        kafka.createTopics(1, applied);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer())) {
            send(p, rules, 0, "CARD_TESTING", record("CARD_TESTING", 1, DEC_1, "shadow"));
            send(p, rules, 2, "NEW_RULE", record("NEW_RULE", 1, DEC_1, "active"));
            send(p, rules, 0, "CARD_TESTING", record("CARD_TESTING", 2, DEC_5, "active"));
            send(p, rules, 2, "NEW_RULE", record("NEW_RULE", 1, DEC_5, "disabled"));
            send(p, rules, 2, "NEW_RULE", record("NEW_RULE", 2, DEC_5, "disabled"));
            // The job applied CARD_TESTING 2 late, at the watermark of Dec 6.
            send(
                    p,
                    applied,
                    0,
                    "CARD_TESTING",
                    RuleRecords.toJson(
                            new AppliedVersion(
                                    "CARD_TESTING", 2, DEC_5, DEC_6, true, "2-x", "active")));
            send(p, applied, 0, "CARD_TESTING", "{\"ruleId\": 3}");
        }

        RuleHistoryReader.Snapshot s =
                RuleHistoryReader.read(client(), rules, applied, BASE, TIMEOUT);

        assertThat(s.rulesEndOffsets()).isEqualTo(Map.of(0, 2L, 1, 0L, 2, 3L));
        assertThat(s.rulesEndOffsets()).isEqualTo(latestOffsets(rules));
        assertThat(s.builder().records())
                .extracting(r -> r.ruleId() + " " + r.ruleVersion())
                .containsExactly("CARD_TESTING 1", "CARD_TESTING 2", "NEW_RULE 1", "NEW_RULE 2");
        assertThat(s.rejected())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.where()).isEqualTo("history-rules-2@1");
                            assertThat(r.key()).isEqualTo("NEW_RULE");
                            assertThat(r.reason()).contains("1 does not increase");
                        });
        assertThat(s.applied()).extracting(AppliedVersion::ruleVersion).containsExactly(2L);
        assertThat(s.unreadableApplied()).isEqualTo(1);

        RuleHistory h = s.history();
        assertThat(version(h, "CARD_TESTING", DEC_1.minusSeconds(1))).isEqualTo("0 active");
        assertThat(version(h, "CARD_TESTING", DEC_1)).isEqualTo("1 shadow");
        // Effective from Dec 5, but applied from Dec 6: version 1 stays in force until then.
        assertThat(version(h, "CARD_TESTING", DEC_5)).isEqualTo("1 shadow");
        assertThat(version(h, "CARD_TESTING", DEC_6)).isEqualTo("2 active");
        assertThat(h.inForce("NEW_RULE", DEC_1.minusSeconds(1))).isNull();
        assertThat(version(h, "NEW_RULE", DEC_1)).isEqualTo("1 active");
        assertThat(version(h, "NEW_RULE", DEC_5)).isEqualTo("2 disabled");
        assertThat(version(h, "VELOCITY", DEC_6)).isEqualTo("0 active");
    }

    @Test
    void missingTopicsReadAsAnEmptyHistory() {
        RuleHistoryReader.Snapshot s =
                RuleHistoryReader.read(client(), "no-such-rules", "no-such-applied", BASE, TIMEOUT);

        assertThat(s.rulesEndOffsets()).isEmpty();
        assertThat(s.builder().records()).isEmpty();
        assertThat(s.rejected()).isEmpty();
        assertThat(s.applied()).isEmpty();
        assertThat(s.history().versions()).isEmpty();
        assertThat(version(s.history(), "CARD_TESTING", DEC_1)).isEqualTo("0 active");
    }

    @Test
    void recordsOfAnOpenTransactionAreNotPartOfTheHistoryYet() throws Exception {
        String rules = "history-in-transaction";
        kafka.createTopics(1, rules);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer())) {
            send(p, rules, 0, "CARD_TESTING", record("CARD_TESTING", 1, DEC_1, "active"));
        }
        Properties tx = producer();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "history-reader-test");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(tx)) {
            p.initTransactions();
            p.beginTransaction();
            send(p, rules, 0, "CARD_TESTING", record("CARD_TESTING", 2, DEC_5, "active"));

            RuleHistoryReader.Snapshot s =
                    RuleHistoryReader.read(client(), rules, null, BASE, TIMEOUT);

            // The end is the last stable offset: the job follows the topic from there.
            assertThat(s.rulesEndOffsets()).isEqualTo(Map.of(0, 1L));
            assertThat(s.builder().records())
                    .extracting(RuleRecord::ruleVersion)
                    .containsExactly(1L);
            p.abortTransaction();
        }
    }

    private static String version(RuleHistory h, String id, Instant t) {
        RuleVersion v = h.inForce(id, t);
        return v.ruleVersion() + " " + v.rule().mode().name().toLowerCase(Locale.ROOT);
    }

    private static Map<Integer, Long> latestOffsets(String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            Map<Integer, Long> offsets = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
            return offsets;
        }
    }
}
