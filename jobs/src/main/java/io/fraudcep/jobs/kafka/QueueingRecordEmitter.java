package io.fraudcep.jobs.kafka;

import io.fraudcep.jobs.io.KafkaLogDeserializer;
import io.fraudcep.jobs.io.SourceRecord;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitState;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each Kafka record and queues it in the {@link EventTimeMergeReader}, in place of the
 * connector's emitter, which would emit it at once and move the split's offset past it.
 */
final class QueueingRecordEmitter
        implements RecordEmitter<
                ConsumerRecord<byte[], byte[]>, SourceRecord, KafkaPartitionSplitState> {

    private final KafkaLogDeserializer deserializer;
    private final EventTimeMergeReader merge;

    QueueingRecordEmitter(KafkaLogDeserializer deserializer, EventTimeMergeReader merge) {
        this.deserializer = deserializer;
        this.merge = merge;
    }

    @Override
    public void emitRecord(
            ConsumerRecord<byte[], byte[]> record,
            SourceOutput<SourceRecord> output,
            KafkaPartitionSplitState splitState) {
        merge.enqueue(
                splitState,
                output,
                deserializer.parse(record),
                record.timestamp(),
                record.offset());
    }
}
