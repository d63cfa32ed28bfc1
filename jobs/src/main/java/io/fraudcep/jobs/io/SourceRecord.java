package io.fraudcep.jobs.io;

import io.fraudcep.model.ParseResult;
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

    /** Parses a raw value from (topic, partition, offset). Never throws. */
    public static SourceRecord parse(String topic, int partition, long offset, byte[] value) {
        ParseResult result = io.fraudcep.model.EventCodec.parse(value);
        if (result.isAccepted()) {
            return new SourceRecord(result.event(), null);
        }
        return new SourceRecord(
                null,
                DeadLetter.of(result.reason(), result.detail(), topic, partition, offset, value));
    }

    /** Event time for the watermark; dead letters carry none and never advance it. */
    public long eventTimeMillis() {
        return event != null ? event.timestampMillis() : Long.MIN_VALUE;
    }
}
