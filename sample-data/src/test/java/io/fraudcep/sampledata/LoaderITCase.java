package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader round-trips a generated log through a real (embedded) Kafka broker. */
class LoaderITCase {

    /** Smaller than the broker default, so that a test can exceed it cheaply. */
    private static final int BROKER_MAX_BYTES = 200_000;

    private static EmbeddedKafka kafka;

    @TempDir Path tmp;

    @BeforeAll
    static void startBroker() {
        kafka =
                EmbeddedKafka.start(
                        Map.of("message.max.bytes", Integer.toString(BROKER_MAX_BYTES)));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyLineArrivesUnchangedKeyedByUserAndStampedWithItsEventTime() throws IOException {
        Path log = tmp.resolve("log");
        new LogGenerator(
                        GeneratorOptions.builder()
                                .seed(21)
                                .users(40)
                                .days(10)
                                .fraudRate(0.3)
                                .badRecords(true)
                                .duplicates(true)
                                .build())
                .writeTo(log);
        TopicNames names = new TopicNames("rt-logins", "rt-transactions", "rt-changes");
        kafka.createTopics(3, names.logins(), names.transactions(), names.accountChanges());

        LoadReport report = LogLoader.load(log, producerProps(), names);

        assertThat(report.skipped()).isZero();
        for (Topic topic : Topic.values()) {
            List<String> lines = Files.readAllLines(log.resolve(topic.fileName()));
            List<ConsumerRecord<String, String>> records = kafka.readAll(names.of(topic), true);
            assertThat(report.topics().get(topic).sent()).isEqualTo(lines.size());
            assertThat(records)
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(lines);
            Map<String, List<String>> fileOrderOfUser = new HashMap<>();
            for (String line : lines) {
                ParseResult p = EventCodec.parse(line);
                if (p.isAccepted()) {
                    fileOrderOfUser
                            .computeIfAbsent(p.event().userId(), u -> new ArrayList<>())
                            .add(line);
                }
            }
            Map<String, List<String>> kafkaOrderOfUser = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                ParseResult p = EventCodec.parse(r.value());
                if (p.isAccepted()) {
                    assertThat(r.key()).isEqualTo(p.event().userId());
                    assertThat(r.timestamp()).isEqualTo(p.event().timestampMillis());
                    kafkaOrderOfUser
                            .computeIfAbsent(r.key(), u -> new ArrayList<>())
                            .add(r.value());
                } else if (!r.value().startsWith("{")) {
                    assertThat(r.key()).isNull();
                }
            }
            // One user's records share a partition and keep their file order.
            assertThat(kafkaOrderOfUser).isEqualTo(fileOrderOfUser);
        }
    }

    @Test
    void emptyAndOversizedLinesAreReportedAndSkippedAndTheRestIsSent() throws IOException {
        Path log = Files.createDirectories(tmp.resolve("odd"));
        String ok =
                "{\"eventId\":\"e1\",\"userId\":\"u1\",\"type\":\"LOGIN_SUCCESS\","
                        + "\"timestamp\":\"2026-03-01T12:00:00Z\",\"deviceId\":\"d1\"}";
        String notJson = "garbage, but sendable";
        String huge = "{\"userId\":\"u2\",\"pad\":\"" + "x".repeat(BROKER_MAX_BYTES + 10) + "\"}";
        Files.writeString(
                log.resolve(Topic.LOGINS.fileName()),
                ok + "\n\n" + huge + "\r\n" + notJson + "\n   \n",
                StandardOpenOption.CREATE_NEW);
        kafka.createTopics(1, "odd-logins");

        LoadReport report =
                LogLoader.load(
                        log,
                        producerProps(),
                        new TopicNames("odd-logins", "odd-transactions", "odd-changes"));

        LoadReport.TopicLoad logins = report.topics().get(Topic.LOGINS);
        assertThat(report.topics()).containsOnlyKeys(Topic.LOGINS);
        assertThat(logins.lines()).isEqualTo(5);
        assertThat(logins.sent()).isEqualTo(2);
        assertThat(logins.skipped()).isEqualTo(3);
        assertThat(logins.problems())
                .anyMatch(p -> p.startsWith("user-logins.jsonl:2: empty line"))
                .anyMatch(p -> p.startsWith("user-logins.jsonl:3: RecordTooLarge"))
                .anyMatch(p -> p.startsWith("user-logins.jsonl:5: empty line"));
        List<ConsumerRecord<String, String>> records = kafka.readAll("odd-logins", true);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(ok, notJson);
        assertThat(records.get(0).key()).isEqualTo("u1");
        assertThat(records.get(0).timestamp()).isEqualTo(1_772_366_400_000L);
        assertThat(records.get(1).key()).isNull();
    }

    @Test
    void theCommandCreatesTopicsWithCustomNamesAndReportsCounts() throws IOException {
        Path log = tmp.resolve("cmd");
        Fixtures.copyTo(Fixtures.Fixture.CONTRACT_EXAMPLE, log);
        Path props = Files.writeString(tmp.resolve("client.properties"), "linger.ms=5\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status =
                LoadCommand.run(
                        new String[] {
                            "--input",
                            log.toString(),
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--logins-topic",
                            "cmd-logins",
                            "--transactions-topic",
                            "cmd-tx",
                            "--account-changes-topic",
                            "cmd-changes",
                            "--kafka-properties",
                            props.toString(),
                            "--create-topics",
                            "--partitions",
                            "2",
                            "--progress-every",
                            "5000"
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        long logins = Files.readAllLines(log.resolve(Topic.LOGINS.fileName())).size();
        assertThat(kafka.readAll("cmd-logins", false)).hasSize((int) logins);
        assertThat(kafka.readAll("cmd-tx", false)).isNotEmpty();
        assertThat(kafka.readAll("cmd-changes", false)).isNotEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("load: cmd-logins: " + logins + " lines, " + logins + " sent, 0 skipped")
                .contains("records read");
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return props;
    }
}
