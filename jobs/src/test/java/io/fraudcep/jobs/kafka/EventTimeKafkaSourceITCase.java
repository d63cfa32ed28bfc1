package io.fraudcep.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.Fixtures;
import io.fraudcep.sampledata.LoadReport;
import io.fraudcep.sampledata.LogLoader;
import io.fraudcep.sampledata.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka source reads its partitions in event-time step: the demo log (30 days; transactions,
 * logins and the sparse account changes in two partitions each) comes out of one reader no more out
 * of order than its most out-of-order partition, where a reader taking records partition by
 * partition would put days between them; and a partition without records does not hold the others
 * back for ever.
 */
class EventTimeKafkaSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static EmbeddedKafka kafka;
    private static long loaded;

    @BeforeAll
    static void loadTheDemoLog() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(
                2, "user-logins", "user-transactions", "user-account-changes", "quiet-topic");
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
        Properties producer = new Properties();
        producer.put("bootstrap.servers", kafka.bootstrapServers());
        LoadReport load = LogLoader.load(Fixtures.demo(), producer, TopicNames.defaults());
        assertThat(load.skipped()).isZero();
        loaded = load.sent();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsAllPartitionsMergedByEventTimeNoMoreOutOfOrderThanTheMostOutOfOrderPartition()
            throws Exception {
        // Patience far beyond the run: the order must come from the merge, not from timing.
        List<SourceRecord> records = read(settings("user-account-changes"), Duration.ofHours(1));

        assertThat(records).hasSize((int) loaded);
        long maxSoFar = Long.MIN_VALUE;
        long mergedLag = 0;
        Map<String, Long> maxPerPartition = new HashMap<>();
        long partitionLag = 0;
        for (SourceRecord r : records) {
            if (r.event() == null) {
                continue;
            }
            long t = r.eventTimeMillis();
            if (maxSoFar > t) {
                mergedLag = Math.max(mergedLag, maxSoFar - t);
            }
            maxSoFar = Math.max(maxSoFar, t);
            long partitionMax = maxPerPartition.merge(r.event().source(), t, Math::max);
            partitionLag = Math.max(partitionLag, partitionMax - t);
        }
        assertThat(maxPerPartition).hasSize(6);
        assertThat(mergedLag).isLessThanOrEqualTo(partitionLag);
    }

    @Test
    void aPartitionWithoutRecordsDoesNotHoldTheOthersBackInAnUnboundedRead() throws Exception {
        KafkaSettings withQuietTopic = settings("quiet-topic");
        int expected = read(withQuietTopic, null, Duration.ofHours(1)).size();

        List<SourceRecord> unbounded =
                read(withQuietTopic, null, EventTimeKafkaSource.DEFAULT_PATIENCE, expected);

        assertThat(expected).isPositive();
        assertThat(unbounded).hasSize(expected);
    }

    private static KafkaSettings settings(String accountChangesTopic) {
        return new KafkaSettings(
                kafka.bootstrapServers(),
                "user-logins",
                "user-transactions",
                accountChangesTopic,
                "fraud-alerts",
                "fraud-alerts-shadow",
                "fraud-dead-letters",
                "fraud-late-events",
                new Properties());
    }

    private static List<SourceRecord> read(KafkaSettings settings, Duration patience)
            throws Exception {
        return read(settings, null, patience);
    }

    /** A bounded read (to the latest offsets) at parallelism 1: one reader, every partition. */
    private static List<SourceRecord> read(KafkaSettings settings, Object unused, Duration patience)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        try (CloseableIterator<SourceRecord> records =
                env.fromSource(
                                settings.source(
                                        "merge-test-bounded",
                                        OffsetsInitializer.earliest(),
                                        OffsetsInitializer.latest(),
                                        null,
                                        EventTimeKafkaSource.DEFAULT_LOOKAHEAD,
                                        patience),
                                FraudPipeline.watermarks(Duration.ofMinutes(5), null),
                                "kafka-source")
                        .executeAndCollect()) {
            List<SourceRecord> out = new ArrayList<>();
            records.forEachRemaining(out::add);
            return out;
        }
    }

    /** The first {@code count} records of an unbounded read at parallelism 1. */
    private static List<SourceRecord> read(
            KafkaSettings settings, Object unused, Duration patience, int count) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        return env.fromSource(
                        settings.source(
                                "merge-test-unbounded",
                                OffsetsInitializer.earliest(),
                                null,
                                null,
                                EventTimeKafkaSource.DEFAULT_LOOKAHEAD,
                                patience),
                        FraudPipeline.watermarks(Duration.ofMinutes(5), Duration.ofMinutes(15)),
                        "kafka-source")
                .executeAndCollect(count);
    }
}
