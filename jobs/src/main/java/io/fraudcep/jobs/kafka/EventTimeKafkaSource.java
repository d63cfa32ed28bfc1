package io.fraudcep.jobs.kafka;

import io.fraudcep.jobs.io.KafkaLogDeserializer;
import io.fraudcep.jobs.io.SourceRecord;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaSourceReader;
import org.apache.flink.connector.kafka.source.reader.fetcher.KafkaSourceFetcherManager;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka source of the input topics, reading its partitions in event-time step: the connector's
 * {@link KafkaSource} (enumerator, splits, fetcher, checkpointed offsets, all unchanged, so
 * savepoints of either restore in the other) with a reader that merges its partitions by event time
 * ({@link EventTimeMergeReader}). Without it a replay reads each partition as fast as it can, and
 * the sparse partitions (account changes, logins) run days of event time ahead of the transaction
 * partitions, their events waiting in keyed state until the watermark passes them.
 */
public final class EventTimeKafkaSource
        implements Source<SourceRecord, KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<SourceRecord>,
                LineageVertexProvider {

    private static final long serialVersionUID = 1L;

    /** Records queued per partition before the partition is paused. */
    public static final int DEFAULT_LOOKAHEAD = 2_000;

    /** How long the reader waits for a quiet partition before the others go on without it. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofMillis(200);

    private final KafkaSource<SourceRecord> kafka;
    private final KafkaLogDeserializer deserializer;
    private final int lookahead;
    private final Duration patience;

    /**
     * @param kafka the connector's source, built with {@code deserializer}
     * @param deserializer its deserializer
     * @param lookahead records queued per partition before it is paused (at least 2)
     * @param patience how long the connector's reader may bring nothing before queued records go
     *     out without the partitions that have none
     */
    public EventTimeKafkaSource(
            KafkaSource<SourceRecord> kafka,
            KafkaLogDeserializer deserializer,
            int lookahead,
            Duration patience) {
        if (lookahead < 2) {
            throw new IllegalArgumentException("lookahead must be at least 2, not " + lookahead);
        }
        this.kafka = kafka;
        this.deserializer = deserializer;
        this.lookahead = lookahead;
        this.patience = patience;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    /** The connector's reader (as {@link KafkaSource#createReader} builds it) behind the merge. */
    @Override
    public SourceReader<SourceRecord, KafkaPartitionSplit> createReader(
            SourceReaderContext context) {
        Properties props = properties(kafka);
        FutureCompletingBlockingQueue<RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>>>
                elements = new FutureCompletingBlockingQueue<>();
        KafkaSourceReaderMetrics metrics = new KafkaSourceReaderMetrics(context.metricGroup());
        EventTimeMergeReader merge = new EventTimeMergeReader(lookahead, patience.toNanos());
        Configuration config = new Configuration();
        props.stringPropertyNames().forEach(k -> config.setString(k, props.getProperty(k)));
        merge.setDelegate(
                new KafkaSourceReader<>(
                        elements,
                        new KafkaSourceFetcherManager(
                                elements,
                                () -> new AssignmentSafeSplitReader(props, context, metrics),
                                finished -> {}),
                        new QueueingRecordEmitter(deserializer, merge),
                        config,
                        context,
                        metrics));
        return merge;
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        return kafka.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return kafka.getProducedType();
    }

    @Override
    public LineageVertex getLineageVertex() {
        return kafka.getLineageVertex();
    }

    /** The client properties the builder completed (deserializers, client id, offsets reset). */
    private static Properties properties(KafkaSource<?> kafka) {
        try {
            Field f = KafkaSource.class.getDeclaredField("props");
            f.setAccessible(true);
            Properties props = new Properties();
            props.putAll((Properties) f.get(kafka));
            return props;
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException(
                    "cannot read the client properties of this flink-connector-kafka's KafkaSource",
                    e);
        }
    }
}
