package io.fraudcep.jobs.demo;

import io.fraudcep.jobs.TransactionVersionCheck;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes a fresh broker ready for a job: its transaction protocol ({@link #transactionProtocolV1}),
 * and its transaction and group coordinators before a job needs them ({@link #coordinators}). On a
 * just-started broker the internal {@code __transaction_state} and {@code __consumer_offsets}
 * topics are created on first use; a job's first exactly-once commit can otherwise meet "the
 * coordinator is not available" and be retried after a short bounded job has already ended.
 */
public final class KafkaWarmUp {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private KafkaWarmUp() {}

    /**
     * Puts a fresh cluster on transaction protocol V1 ({@code transaction.version=1}), as {@code
     * kafka-features.sh downgrade --feature transaction.version=1} does and as {@code
     * flink-conf/bin/kafka} formats its broker: on Kafka 4's default V2 the exactly-once Kafka sink
     * loses alerts on a failover ({@link TransactionVersionCheck}). Call it before the first
     * transaction; returns once the brokers report the new level.
     */
    public static void transactionProtocolV1(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.updateFeatures(
                            Map.of(
                                    TransactionVersionCheck.FEATURE,
                                    new FeatureUpdate(
                                            (short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                            new UpdateFeaturesOptions())
                    .all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // The controller has finalized it; a broker answers with the new level once it has
            // read that from the metadata log.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                FinalizedVersionRange level =
                        admin.describeFeatures()
                                .featureMetadata()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .finalizedFeatures()
                                .get(TransactionVersionCheck.FEATURE);
                if (level != null && level.maxVersionLevel() == 1) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the broker still reports "
                                    + TransactionVersionCheck.FEATURE
                                    + " "
                                    + level
                                    + " after the downgrade to 1");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downgrading the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot set " + TransactionVersionCheck.FEATURE + "=1 on " + bootstrapServers,
                    e);
        }
    }

    /** One committed empty transaction and one group offset lookup. */
    public static void coordinators(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-up");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "warm-up");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            // Finds the group coordinator, which creates __consumer_offsets.
            consumer.committed(Set.of(new TopicPartition("warm-up", 0)), Duration.ofSeconds(60));
        }
    }
}
