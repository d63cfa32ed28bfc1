package io.fraudcep.jobs.backtest;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replay from Kafka starts: the earliest offsets, the first offsets whose record timestamp
 * is at or after a time, or explicit offsets per partition ({@code topic:partition=offset,...};
 * partitions not listed start at the earliest offset). Never the consumer group's committed
 * offsets: a backtest has no group of its own to resume.
 *
 * @param kind which of these
 * @param timestamp epoch millis, for {@link Kind#TIMESTAMP}
 * @param offsets offsets per partition, for {@link Kind#OFFSETS}
 */
public record ReplayStart(Kind kind, long timestamp, Map<TopicPartition, Long> offsets)
        implements Serializable {

    /** The kinds of start. */
    public enum Kind {
        EARLIEST,
        TIMESTAMP,
        OFFSETS
    }

    public static final ReplayStart EARLIEST = new ReplayStart(Kind.EARLIEST, 0, Map.of());

    public ReplayStart {
        offsets = Map.copyOf(offsets);
    }

    /**
     * Parses {@code earliest}, an ISO-8601 instant, epoch milliseconds, or {@code
     * topic:partition=offset[,topic:partition=offset...]}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ReplayStart parse(String text) {
        String t = text.trim();
        if (t.equals("earliest")) {
            return EARLIEST;
        }
        if (t.contains("=")) {
            return new ReplayStart(Kind.OFFSETS, 0, parseOffsets(t));
        }
        return new ReplayStart(Kind.TIMESTAMP, Timestamps.parse(t, "earliest"), Map.of());
    }

    private static Map<TopicPartition, Long> parseOffsets(String spec) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            int eq = e.lastIndexOf('=');
            int colon = e.lastIndexOf(':', eq);
            if (eq < 0 || colon <= 0) {
                throw new IllegalArgumentException(
                        "offsets are written topic:partition=offset[,...], not '" + e + "'");
            }
            String topic = e.substring(0, colon).trim();
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(e.substring(colon + 1, eq).trim());
                offset = Long.parseLong(e.substring(eq + 1).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(
                        "partition and offset must be whole numbers in '" + e + "'");
            }
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException(
                        "partition and offset must not be negative in '" + e + "'");
            }
            if (offsets.put(new TopicPartition(topic, partition), offset) != null) {
                throw new IllegalArgumentException(
                        "partition " + topic + ":" + partition + " is given twice");
            }
        }
        return offsets;
    }

    /**
     * Checks that explicit offsets name only the replayed topics.
     *
     * @throws IllegalArgumentException naming the unknown topic
     */
    public void checkTopics(Collection<String> topics) {
        for (TopicPartition tp : offsets.keySet()) {
            if (!topics.contains(tp.topic())) {
                throw new IllegalArgumentException(
                        "offsets name topic '"
                                + tp.topic()
                                + "', which is not one of the input"
                                + " topics "
                                + topics);
            }
        }
    }

    /** The Kafka source's starting offsets. */
    public OffsetsInitializer toOffsetsInitializer() {
        switch (kind) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(timestamp);
            default:
                // Partitions not listed: the group's committed offsets, of which a backtest's
                // fresh group has none, so the earliest.
                return OffsetsInitializer.offsets(offsets);
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case EARLIEST:
                return "earliest";
            case TIMESTAMP:
                return Instant.ofEpochMilli(timestamp).toString();
            default:
                StringJoiner j = new StringJoiner(",");
                offsets.forEach((tp, o) -> j.add(tp.topic() + ":" + tp.partition() + "=" + o));
                return j.toString();
        }
    }

    /** Parsing of the timestamps of {@code --from} and {@code --until}. */
    static final class Timestamps {
        private Timestamps() {}

        /** An ISO-8601 instant or epoch milliseconds. */
        static long parse(String t, String keyword) {
            try {
                long ms = Long.parseLong(t);
                if (ms < 0) {
                    throw new IllegalArgumentException("a timestamp must not be negative: " + t);
                }
                return ms;
            } catch (NumberFormatException e) {
                try {
                    return Instant.parse(t).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException(
                            "must be "
                                    + keyword
                                    + (keyword.equals("earliest")
                                            ? ", topic:partition=offset[,...]"
                                            : "")
                                    + ", an ISO-8601 instant or epoch milliseconds, not '"
                                    + t
                                    + "'");
                }
            }
        }
    }
}
