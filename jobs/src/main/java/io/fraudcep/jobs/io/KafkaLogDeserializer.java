package io.fraudcep.jobs.io;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each Kafka record of the input topics into a {@link SourceRecord}. A record that breaks
 * the contract becomes a dead letter with its topic, partition and offset; nothing throws out of
 * the source.
 */
public class KafkaLogDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {

    private static final long serialVersionUID = 1L;

    private final FutureTimestampGuard guard;

    /** One name per source partition, shared by all its events. */
    private transient Map<String, String[]> sourceNames;

    /**
     * @param guard rejects implausibly future event times (null: none)
     */
    public KafkaLogDeserializer(FutureTimestampGuard guard) {
        this.guard = guard;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        out.collect(parse(record));
    }

    /** The source record of one Kafka record: exactly one, never null, never throws. */
    public SourceRecord parse(ConsumerRecord<byte[], byte[]> record) {
        return SourceRecord.parse(
                record.topic(),
                record.partition(),
                record.offset(),
                record.value(),
                sourceName(record.topic(), record.partition()),
                guard);
    }

    private String sourceName(String topic, int partition) {
        if (sourceNames == null) {
            sourceNames = new HashMap<>();
        }
        String[] names = sourceNames.get(topic);
        if (names == null || names.length <= partition) {
            String[] grown = new String[partition + 1];
            if (names != null) {
                System.arraycopy(names, 0, grown, 0, names.length);
            }
            names = grown;
            sourceNames.put(topic, names);
        }
        if (names[partition] == null) {
            names[partition] = SourceRecord.sourceName(topic, partition);
        }
        return names[partition];
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
