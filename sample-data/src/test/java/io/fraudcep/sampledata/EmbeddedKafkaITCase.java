package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker: topics, plain and transactional produce, read back. */
class EmbeddedKafkaITCase {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void recordsProducedToACreatedTopicAreReadBackWithKeysAndTimestamps() throws Exception {
        kafka.createTopics(3, "plain");
        // Creating again is a no-op.
        kafka.createTopics(3, "plain");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(null))) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("plain", null, 1_000L * i, "k" + i, "v" + i))
                        .get();
            }
        }

        List<ConsumerRecord<String, String>> records = kafka.readAll("plain", false);
        assertThat(records).hasSize(30);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
        ConsumerRecord<String, String> seventh =
                records.stream().filter(r -> "k7".equals(r.key())).findFirst().orElseThrow();
        assertThat(seventh.value()).isEqualTo("v7");
        assertThat(seventh.timestamp()).isEqualTo(7_000L);
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions() {
        kafka.createTopics(2, "transactional");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProps("embedded-kafka-it"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "a", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "b", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(kafka.readAll("transactional", true))
                .extracting(ConsumerRecord::value)
                .containsExactly("committed");
        assertThat(kafka.readAll("transactional", false))
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("committed", "aborted");
    }

    @Test
    void creatingAnExistingTopicAgainKeepsItsPartitionCount() throws Exception {
        kafka.createTopics(2, "twice", "other");
        kafka.createTopics(5, "twice");

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            TopicDescription twice =
                    admin.describeTopics(List.of("twice")).allTopicNames().get().get("twice");
            assertThat(twice.partitions()).hasSize(2);
        }
        assertThat(kafka.readAll("other", false)).isEmpty();
    }

    private static Properties producerProps(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return props;
    }
}
