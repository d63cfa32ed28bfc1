package io.fraudcep.jobs.rules;

import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the rule history from Kafka (rules.md, "Rule versions on the control topic"): every record
 * of the rule control topic and of the live job's audit topic, from the beginning up to the end
 * offsets observed when the read starts. Used by {@code bin/fraud rules publish|list}, and by a job
 * that starts from the history and then follows the control topic from {@link
 * Snapshot#rulesEndOffsets()} on.
 *
 * <p>Records are read with a plain consumer ({@code assign}, no consumer group, nothing committed)
 * at {@code isolation.level=read_committed}. The records of one rule id share a partition (the key
 * is the rule id), so each partition is offered to the {@link RuleHistoryBuilder} in offset order,
 * partitions in partition order. A topic that does not exist reads as empty.
 */
public final class RuleHistoryReader {

    /** The control topic's default name. */
    public static final String DEFAULT_RULES_TOPIC = "fraud-rules";

    /** The audit topic's default name: the versions the live job applied, and when. */
    public static final String DEFAULT_APPLIED_TOPIC = "fraud-rules-applied";

    /**
     * What a read found.
     *
     * @param builder every record of the control topic offered in topic order and every readable
     *     audit record applied: its {@link RuleHistoryBuilder#build() history}, {@link
     *     RuleHistoryBuilder#records() accepted records}, {@link RuleHistoryBuilder#rejected()
     *     rejected records} and {@link RuleHistoryBuilder#ledger() ledger}
     * @param rulesEndOffsets per partition of the control topic, the offset the read stopped at
     *     (exclusive): where a job that applied this history starts to follow the topic; empty if
     *     the topic does not exist
     * @param applied the readable audit records, in topic order (partition by partition)
     * @param unreadableApplied how many audit records could not be parsed and were skipped
     */
    public record Snapshot(
            RuleHistoryBuilder builder,
            Map<Integer, Long> rulesEndOffsets,
            List<AppliedVersion> applied,
            int unreadableApplied) {

        public Snapshot {
            rulesEndOffsets = Collections.unmodifiableMap(new TreeMap<>(rulesEndOffsets));
            applied = List.copyOf(applied);
        }

        /** The history: {@code base} and every accepted version at its applied instant. */
        public RuleHistory history() {
            return builder.build();
        }

        /** The records of the control topic that changed nothing, with their reasons. */
        public List<RuleHistoryBuilder.Rejected> rejected() {
            return builder.rejected();
        }
    }

    private RuleHistoryReader() {}

    /**
     * Reads the control topic and the audit topic to the end offsets they have when the read
     * starts.
     *
     * @param clientProps Kafka client properties: {@code bootstrap.servers} and any security
     *     settings (e.g. {@code --kafka-properties}); the deserializers, the isolation level and
     *     the offset handling are set here, and a {@code group.id} is ignored
     * @param rulesTopic the control topic
     * @param appliedTopic the audit topic, or null to read no audit record
     * @param base the rule file's rules, version 0 of the history
     * @param timeout how long each topic's read may take in all
     * @throws org.apache.kafka.common.errors.TimeoutException if the cluster does not answer in
     *     time
     * @throws IllegalStateException if a topic cannot be read to its end offsets in time
     */
    public static Snapshot read(
            Properties clientProps,
            String rulesTopic,
            String appliedTopic,
            RuleSet base,
            Duration timeout) {
        return read(
                clientProps, rulesTopic, appliedTopic, base, RuleHistory.DEFAULT_HORIZON, timeout);
    }

    /**
     * As {@link #read(Properties, String, String, RuleSet, Duration)}, for a job that looks back
     * {@code horizon}: versions needing more are rejected, as that job's gate rejects them.
     */
    public static Snapshot read(
            Properties clientProps,
            String rulesTopic,
            String appliedTopic,
            RuleSet base,
            Duration horizon,
            Duration timeout) {
        RuleHistoryBuilder builder = new RuleHistoryBuilder(base, horizon);
        Map<Integer, Long> rulesEnd = new TreeMap<>();
        List<AppliedVersion> applied = new ArrayList<>();
        int unreadable = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumer(clientProps))) {
            for (TopicRead partition : readTopic(consumer, rulesTopic, timeout)) {
                rulesEnd.put(partition.partition(), partition.endOffset());
                for (ConsumerRecord<String, String> r : partition.records()) {
                    // A null value (a tombstone) is rejected like any value that is not a record.
                    String value = r.value() == null ? "" : r.value();
                    builder.offer(where(r), r.key(), value);
                }
            }
            if (appliedTopic != null) {
                for (TopicRead partition : readTopic(consumer, appliedTopic, timeout)) {
                    for (ConsumerRecord<String, String> r : partition.records()) {
                        AppliedVersion a = parseApplied(r.value());
                        if (a == null) {
                            unreadable++;
                        } else {
                            applied.add(a);
                            builder.applied(a);
                        }
                    }
                }
            }
        }
        return new Snapshot(builder, rulesEnd, applied, unreadable);
    }

    /** Where a record was read, as rejected records and dead letters name it. */
    static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    private static AppliedVersion parseApplied(String value) {
        if (value == null) {
            return null;
        }
        try {
            return RuleRecords.parseApplied(value);
        } catch (RuleRecordException e) {
            return null;
        }
    }

    private static Properties consumer(Properties clientProps) {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        return p;
    }

    /** One partition as read: its records in offset order and the offset the read stopped at. */
    private record TopicRead(
            int partition, long endOffset, List<ConsumerRecord<String, String>> records) {}

    /** Every partition of {@code topic} in partition order, each up to its end offset. */
    private static List<TopicRead> readTopic(
            KafkaConsumer<String, String> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // With read_committed these are the last stable offsets: an open transaction's records
        // are not part of the history yet.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition =
                new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
        List<TopicPartition> open = new ArrayList<>(partitions);
        while (true) {
            open.removeIf(tp -> consumer.position(tp, timeout) >= end.get(tp));
            if (open.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end offsets " + end + " in time");
            }
            // Stop fetching from partitions already read to their end.
            consumer.pause(partitions.stream().filter(tp -> !open.contains(tp)).toList());
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < end.get(tp)) {
                    byPartition.get(tp).add(r);
                }
            }
        }
        consumer.unsubscribe();
        List<TopicRead> reads = new ArrayList<>();
        byPartition.forEach(
                (tp, records) -> reads.add(new TopicRead(tp.partition(), end.get(tp), records)));
        return reads;
    }
}
