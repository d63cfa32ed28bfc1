package io.fraudcep.jobs.rules;

import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.io.WallClock;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleRecordInput;
import io.fraudcep.rules.history.RuleRecords;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The rule control topic and its audit topic (rules.md), as the live job reads and writes them.
 *
 * @param rulesTopic versions of rules, key = rule id, never compacted
 * @param appliedTopic the instant the job applied each version from
 * @param horizon how far back any rule version may look (window plus absence period)
 */
public record RuleTopics(String rulesTopic, String appliedTopic, Duration horizon)
        implements Serializable {

    public static final Option<String> RULES_TOPIC =
            Option.text(
                    "rules-topic",
                    "fraud-rules",
                    "control topic of rule versions (bin/fraud rules publish), read from its"
                            + " beginning");
    public static final Option<String> APPLIED_TOPIC =
            Option.text(
                    "rules-applied-topic",
                    "fraud-rules-applied",
                    "where the job records the event-time instant it applied each rule version"
                            + " from, for replays");
    public static final Option<Duration> RULE_HORIZON =
            Option.duration(
                    "rule-horizon",
                    DetectionGraph.DEFAULT_RULE_HORIZON,
                    "how far back any rule version may look (window plus absence period): every"
                            + " accepted event is kept this long per user, so that a version"
                            + " published while the job runs judges whole windows; a version"
                            + " needing more is a dead letter");

    /** The options above, for a command's option list. */
    public static List<Option<?>> options() {
        return List.of(RULES_TOPIC, APPLIED_TOPIC, RULE_HORIZON);
    }

    /**
     * The source of the control topic from the given offsets (where the history read when the job
     * was built ended), unbounded unless {@code stop} is given. A restored job resumes from its
     * checkpoint instead.
     */
    public KafkaSource<RuleRecordInput> source(
            KafkaSettings kafka,
            String groupId,
            Map<Integer, Long> startOffsets,
            OffsetsInitializer stop) {
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        startOffsets.forEach((p, o) -> offsets.put(new TopicPartition(rulesTopic, p), o));
        KafkaSourceBuilder<RuleRecordInput> b =
                KafkaSource.<RuleRecordInput>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setProperties(kafka.clientProperties())
                        .setTopics(rulesTopic)
                        .setGroupId(groupId + "-rules")
                        .setClientIdPrefix(groupId + "-rules")
                        .setProperty("isolation.level", "read_committed")
                        // New partitions, or none read yet: from the beginning.
                        .setStartingOffsets(
                                OffsetsInitializer.offsets(
                                        offsets,
                                        org.apache.kafka.clients.consumer.OffsetResetStrategy
                                                .EARLIEST))
                        .setDeserializer(new RuleRecordDeserializer());
        if (stop != null) {
            b.setBounded(stop);
        }
        return b.build();
    }

    /** The audit sink: key = rule id, value = {@link RuleRecords#toJson(AppliedVersion)}. */
    public KafkaSink<AppliedVersion> auditSink(
            KafkaSettings kafka, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return kafka.sinkTo(
                new AuditSerializer(appliedTopic),
                guarantee,
                transactionalIdPrefix + "-rules-applied");
    }

    /**
     * Creates the control topic and the audit topic where they are missing: one partition each (a
     * rule's versions stay in order; the topics are small), never compacted and never expired,
     * since the history is the audit trail. A topic that exists is left as it is.
     *
     * @throws IllegalStateException if a missing topic cannot be created
     */
    public void ensureTopics(Properties client) {
        try (Admin admin = Admin.create(client)) {
            for (String name : List.of(rulesTopic, appliedTopic)) {
                NewTopic topic =
                        new NewTopic(name, Optional.of(1), Optional.empty())
                                .configs(
                                        Map.of(
                                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                                TopicConfig.CLEANUP_POLICY_DELETE,
                                                TopicConfig.RETENTION_MS_CONFIG,
                                                "-1"));
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create the topic "
                                        + name
                                        + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException(
                            "cannot create the topic " + name + ": " + e, e);
                }
            }
        }
    }

    /** Control-topic records as read: key, value, where; validation is the gate's. */
    static final class RuleRecordDeserializer
            implements KafkaRecordDeserializationSchema<RuleRecordInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<RuleRecordInput> out) {
            out.collect(
                    new RuleRecordInput(
                            text(record.key()),
                            text(record.value()),
                            record.topic(),
                            record.partition(),
                            record.offset()));
        }

        private static String text(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public TypeInformation<RuleRecordInput> getProducedType() {
            return TypeInformation.of(RuleRecordInput.class);
        }
    }

    static final class AuditSerializer implements KafkaRecordSerializationSchema<AppliedVersion> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        AuditSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                AppliedVersion applied, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    null,
                    WallClock.now().toEpochMilli(),
                    applied.ruleId().getBytes(StandardCharsets.UTF_8),
                    RuleRecords.toJson(applied).getBytes(StandardCharsets.UTF_8));
        }
    }
}
