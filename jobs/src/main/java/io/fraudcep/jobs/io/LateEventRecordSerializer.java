package io.fraudcep.jobs.io;

import io.fraudcep.model.EventCodec;
import io.fraudcep.model.UserEvent;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Late events to Kafka in the input wire format (key = userId), so they can be inspected or
 * replayed with a larger out-of-orderness bound.
 */
public class LateEventRecordSerializer implements KafkaRecordSerializationSchema<UserEvent> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public LateEventRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            UserEvent event, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                event.userId().getBytes(StandardCharsets.UTF_8),
                EventCodec.toJson(event).getBytes(StandardCharsets.UTF_8));
    }
}
