package io.fraudcep.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fraud rules list} against a real in-JVM broker: the history of each rule as published
 * with {@code bin/fraud rules publish}, the live job's audit records, the rejected records and the
 * versions in force.
 */
class RulesListITCase {

    private static final String HASH = RulesPublishITCase.CARD_TESTING_HASH;
    private static final Instant MONDAY = Instant.parse("2026-11-30T09:15:00.123Z");
    private static final Instant TUESDAY = Instant.parse("2026-12-01T16:40:00Z");

    private static EmbeddedKafka kafka;

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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

    private int rules(Instant now, String... args) {
        return RulesPublishITCase.rules(out, err, now, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void send(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    @Test
    void listsEachVersionWhenTheJobAppliedItTheRejectedRecordsAndTheVersionsInForce()
            throws Exception {
        String topic = "rules-listed";
        String applied = "rules-listed-applied";
        Path file = Files.writeString(dir.resolve("rules.yaml"), RulesPublishITCase.TWO_RULES);
        String[] kafkaArgs = {
            "--bootstrap-servers", kafka.bootstrapServers(), "--rules-topic", topic
        };
        assertThat(
                        rules(
                                MONDAY,
                                concat(
                                        new String[] {
                                            "publish",
                                            file.toString(),
                                            "--effective-from",
                                            "2026-12-01T00:00:00Z",
                                            "--comment",
                                            "first cut"
                                        },
                                        kafkaArgs)))
                .isZero();
        assertThat(
                        rules(
                                TUESDAY,
                                concat(
                                        new String[] {
                                            "publish",
                                            file.toString(),
                                            "--rule",
                                            "CARD_TESTING",
                                            "--effective-from",
                                            "2026-12-05T00:00:00Z",
                                            "--published-by",
                                            "bob"
                                        },
                                        kafkaArgs)))
                .isZero();
        // A second copy of version 1: not increasing, so it changes nothing.
        String v1 = kafka.readAll(topic, true).get(0).value();
        send(topic, "CARD_TESTING", v1);
        send(topic, "BRUTE_FORCE_LOGIN", "{not json");
        // The live job applied CARD_TESTING 1 on time and BRUTE_FORCE_LOGIN 1 late.
        String bruteForce = "1-" + RulesPublishITCase.bruteForceHash();
        send(
                applied,
                "CARD_TESTING",
                RuleRecords.toJson(
                        new AppliedVersion(
                                "CARD_TESTING",
                                1,
                                Instant.parse("2026-12-01T00:00:00Z"),
                                Instant.parse("2026-12-01T00:00:00Z"),
                                false,
                                "1-" + HASH,
                                "active")));
        send(
                applied,
                "BRUTE_FORCE_LOGIN",
                RuleRecords.toJson(
                        new AppliedVersion(
                                "BRUTE_FORCE_LOGIN",
                                1,
                                Instant.parse("2026-12-01T00:00:00Z"),
                                Instant.parse("2026-12-01T10:00:00Z"),
                                true,
                                bruteForce,
                                "shadow")));
        send(applied, "X", "garbage");

        assertThat(
                        rules(
                                MONDAY,
                                concat(
                                        new String[] {"list", "--rules-applied-topic", applied},
                                        kafkaArgs)))
                .isZero();
        // The words after "not JSON" are Jackson's.
        assertThat(
                        out().replaceFirst(
                                        "(?m)(key BRUTE_FORCE_LOGIN: ).*not JSON.*$",
                                        "$1not JSON ..."))
                .isEqualTo(
                        String.join(
                                "\n",
                                "rules-listed: 5 records, 3 versions of 2 rules, 2 rejected;"
                                        + " rules-listed-applied: 2 audit records, 1 unreadable"
                                        + " (skipped)",
                                "",
                                "RULE               VERSION  EFFECTIVE FROM        APPLIED       "
                                        + "             MODE    PATTERN VERSION  PUBLISHED BY "
                                        + " PUBLISHED AT              COMMENT",
                                "BRUTE_FORCE_LOGIN  1        2026-12-01T00:00:00Z "
                                        + " 2026-12-01T10:00:00Z late  shadow  "
                                        + bruteForce
                                        + "   alice         2026-11-30T09:15:00.123Z  first cut",
                                "CARD_TESTING       1        2026-12-01T00:00:00Z "
                                        + " 2026-12-01T00:00:00Z       active  1-"
                                        + HASH
                                        + "   alice         2026-11-30T09:15:00.123Z  first cut",
                                "CARD_TESTING       2        2026-12-05T00:00:00Z  not yet"
                                        + " applied            active  2-"
                                        + HASH
                                        + "   bob           2026-12-01T16:40:00Z      -",
                                "",
                                "Rejected records (each changed nothing):",
                                "  rules-listed-0@3 key CARD_TESTING: rule CARD_TESTING, field"
                                        + " ruleVersion: 1 does not increase: version 2 is already"
                                        + " in the history",
                                "  rules-listed-0@4 key BRUTE_FORCE_LOGIN: not JSON ...",
                                "",
                                "In force at the latest instant the live job applied a version"
                                        + " at:",
                                "in force at 2026-12-01T10:00:00Z: BRUTE_FORCE_LOGIN version 1"
                                        + " (shadow)",
                                "in force at 2026-12-01T10:00:00Z: CARD_TESTING version 1"
                                        + " (active)",
                                ""));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutAuditRecordsTheVersionsInForceAreThoseOfTheLatestEffectiveFrom() throws Exception {
        String topic = "rules-never-applied";
        Path file = Files.writeString(dir.resolve("rules.yaml"), RulesPublishITCase.TWO_RULES);
        String[] kafkaArgs = {
            "--bootstrap-servers", kafka.bootstrapServers(), "--rules-topic", topic
        };
        rules(
                MONDAY,
                concat(
                        new String[] {
                            "publish", file.toString(), "--effective-from", "2026-12-01T00:00:00Z"
                        },
                        kafkaArgs));
        rules(
                MONDAY,
                concat(
                        new String[] {
                            "publish",
                            file.toString(),
                            "--rule",
                            "CARD_TESTING",
                            "--effective-from",
                            "2026-12-05T00:00:00Z"
                        },
                        kafkaArgs));

        assertThat(rules(MONDAY, concat(new String[] {"list"}, kafkaArgs))).isZero();
        assertThat(out())
                .startsWith(
                        "rules-never-applied: 3 records, 3 versions of 2 rules, 0 rejected;"
                                + " fraud-rules-applied: 0 audit records\n")
                .contains("\nRejected records: none\n")
                .endsWith(
                        "\nNo audit record on fraud-rules-applied (no live job applied a version"
                                + " yet): in force at the latest effectiveFrom\n"
                                + "in force at 2026-12-05T00:00:00Z: BRUTE_FORCE_LOGIN version 1"
                                + " (shadow)\n"
                                + "in force at 2026-12-05T00:00:00Z: CARD_TESTING version 2"
                                + " (active)\n");
        assertThat(out().lines().filter(l -> l.contains("not yet applied"))).hasSize(3);
    }

    @Test
    void anEmptyTopicListsNothing() {
        assertThat(
                        rules(
                                MONDAY,
                                "list",
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--rules-topic",
                                "rules-nobody-published"))
                .isZero();
        assertThat(out())
                .isEqualTo(
                        "rules-nobody-published: 0 records, 0 versions of 0 rules, 0 rejected;"
                                + " fraud-rules-applied: 0 audit records\n"
                                + "\n"
                                + "Rejected records: none\n");
    }

    @Test
    void listTakesNoFileAndNoOptionOfPublish() {
        assertThat(
                        rules(
                                MONDAY,
                                "list",
                                "rules.yaml",
                                "--bootstrap-servers",
                                kafka.bootstrapServers()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("rules: list takes no FILE, not rules.yaml\n");
        assertThat(rules(MONDAY, "list", "--bootstrap-servers", "x:1", "--dry-run")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("rules: unknown option --dry-run (see bin/fraud rules list --help)\n");
        assertThat(rules(MONDAY, "list")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("rules: --bootstrap-servers is required: Kafka bootstrap servers\n");
        assertThat(out()).isEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
