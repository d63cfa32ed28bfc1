package io.fraudcep.jobs.io;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts to Kafka: key = userId, value = the alert JSON of alerts.md with {@code emittedAt} now.
 * The record timestamp is left to the producer (wall clock), never the event time: a backtest's
 * alerts must not be deleted at once by the topic's retention.
 */
public class AlertRecordSerializer implements KafkaRecordSerializationSchema<Alert> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public AlertRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                alert.userId().getBytes(StandardCharsets.UTF_8),
                AlertJson.toJsonBytes(alert, WallClock.now()));
    }
}
