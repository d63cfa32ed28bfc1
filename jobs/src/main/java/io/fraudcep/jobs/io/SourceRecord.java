package io.fraudcep.jobs.io;

import io.fraudcep.model.ParseResult;
import io.fraudcep.model.RejectReason;
import io.fraudcep.model.UserEvent;

/**
 * What a source emits for one record of the log: the accepted event, or the dead letter. Parsing
 * happens in the source so that event time, and with it the watermark, is taken per Kafka
 * partition.
 *
 * @param event the accepted event, or null
 * @param deadLetter the dead letter, or null
 */
public record SourceRecord(UserEvent event, DeadLetter deadLetter) {

    /**
     * Parses a raw value from (topic, partition, offset), read from {@code source} (the name the
     * per-source metrics use). An event further ahead than {@code guard} allows is a dead letter.
     * Never throws.
     */
    public static SourceRecord parse(
            String topic,
            int partition,
            long offset,
            byte[] value,
            String source,
            FutureTimestampGuard guard) {
        ParseResult result = io.fraudcep.model.EventCodec.parse(value, source);
        if (result.isAccepted()) {
            String future = guard == null ? null : guard.check(result.event().timestamp());
            if (future == null) {
                return new SourceRecord(result.event(), null);
            }
            return new SourceRecord(
                    null,
                    DeadLetter.of(
                            RejectReason.FUTURE_TIMESTAMP,
                            future,
                            topic,
                            partition,
                            offset,
                            value));
        }
        return new SourceRecord(
                null,
                DeadLetter.of(result.reason(), result.detail(), topic, partition, offset, value));
    }

    /** The name of a source partition in metrics and late-event counts: {@code topic-partition}. */
    public static String sourceName(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** Event time for the watermark; dead letters carry none and never advance it. */
    public long eventTimeMillis() {
        return event != null ? event.timestampMillis() : Long.MIN_VALUE;
    }
}
