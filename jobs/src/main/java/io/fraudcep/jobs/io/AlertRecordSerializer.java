package io.fraudcep.jobs.io;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts to Kafka: key = userId, value = the alert JSON of alerts.md with {@code emittedAt} now
 * (for a shadow rule's alert, plus {@code "mode": "shadow"}, rules.md). The record timestamp is
 * left to the producer (wall clock), never the event time: a backtest's alerts must not be deleted
 * at once by the topic's retention.
 */
public final class AlertRecordSerializer implements KafkaRecordSerializationSchema<Alert> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final boolean shadow;

    private AlertRecordSerializer(String topic, boolean shadow) {
        this.topic = topic;
        this.shadow = shadow;
    }

    /** Alerts of active rules, as alerts.md. */
    public static AlertRecordSerializer active(String topic) {
        return new AlertRecordSerializer(topic, false);
    }

    /** Alerts of shadow rules, with {@code "mode": "shadow"}. */
    public static AlertRecordSerializer shadow(String topic) {
        return new AlertRecordSerializer(topic, true);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                alert.userId().getBytes(StandardCharsets.UTF_8),
                shadow
                        ? OutputJson.shadowAlert(alert, WallClock.now())
                        : AlertJson.toJsonBytes(alert, WallClock.now()));
    }
}
