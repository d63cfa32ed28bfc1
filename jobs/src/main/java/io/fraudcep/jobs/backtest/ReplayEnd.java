package io.fraudcep.jobs.backtest;

import java.io.Serializable;
import java.time.Instant;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * Where a replay from Kafka stops: the latest offsets at start-up (records written later are not
 * read), or the first offsets whose record timestamp is at or after a time (exclusive).
 *
 * @param timestamp epoch millis, or null for the latest offsets
 */
public record ReplayEnd(Long timestamp) implements Serializable {

    public static final ReplayEnd LATEST = new ReplayEnd(null);

    /**
     * Parses {@code latest}, an ISO-8601 instant or epoch milliseconds.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ReplayEnd parse(String text) {
        String t = text.trim();
        if (t.equals("latest")) {
            return LATEST;
        }
        return new ReplayEnd(ReplayStart.Timestamps.parse(t, "latest"));
    }

    /** The Kafka source's stopping offsets: the source is bounded either way. */
    public OffsetsInitializer toOffsetsInitializer() {
        return timestamp == null
                ? OffsetsInitializer.latest()
                : OffsetsInitializer.timestamp(timestamp);
    }

    @Override
    public String toString() {
        return timestamp == null ? "latest" : Instant.ofEpochMilli(timestamp).toString();
    }
}
