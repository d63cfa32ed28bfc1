package io.fraudcep.jobs.kafka;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The connector's split reader, pausing and resuming only the partitions its consumer still has.
 *
 * <p>A pause is decided in the task thread and carried out later in the fetcher thread; in between
 * the fetcher may have finished the split (a bounded read reaching its stopping offset) and
 * unassigned its partition, and the connector's reader then fails the job with {@code
 * IllegalStateException: No current assignment for partition} (FLINK-39728, fixed after connector
 * 5.0.0-2.2 by the same filter as here). Both run in the fetcher thread, so the assignment read
 * here is the one the pause would act on.
 */
final class AssignmentSafeSplitReader extends KafkaPartitionSplitReader {

    private static final Field CONSUMER = consumerField();

    AssignmentSafeSplitReader(
            Properties props, SourceReaderContext context, KafkaSourceReaderMetrics metrics) {
        super(props, context, metrics);
    }

    @Override
    public void pauseOrResumeSplits(
            Collection<KafkaPartitionSplit> splitsToPause,
            Collection<KafkaPartitionSplit> splitsToResume) {
        Set<TopicPartition> assigned = consumer().assignment();
        super.pauseOrResumeSplits(
                assigned(splitsToPause, assigned), assigned(splitsToResume, assigned));
    }

    private static List<KafkaPartitionSplit> assigned(
            Collection<KafkaPartitionSplit> splits, Set<TopicPartition> assigned) {
        List<KafkaPartitionSplit> out = new ArrayList<>(splits.size());
        for (KafkaPartitionSplit s : splits) {
            if (assigned.contains(s.getTopicPartition())) {
                out.add(s);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private KafkaConsumer<byte[], byte[]> consumer() {
        try {
            return (KafkaConsumer<byte[], byte[]>) CONSUMER.get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the Kafka split reader's consumer", e);
        }
    }

    private static Field consumerField() {
        try {
            Field f = KafkaPartitionSplitReader.class.getDeclaredField("consumer");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "this flink-connector-kafka has no KafkaPartitionSplitReader.consumer: check"
                            + " whether it still needs the FLINK-39728 work-around",
                    e);
        }
    }
}
