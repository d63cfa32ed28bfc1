package io.fraudcep.jobs;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where the source starts: the consumer group's committed offsets (earliest where there are none),
 * the earliest or latest offsets, or the first offsets at or after a time.
 *
 * @param kind which of these
 * @param timestamp the epoch millis for {@link Kind#TIMESTAMP}
 */
public record StartingPosition(Kind kind, long timestamp) implements Serializable {

    /** The kinds of starting position. */
    public enum Kind {
        COMMITTED,
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    /** Parses committed, earliest, latest, an ISO-8601 instant or epoch milliseconds. */
    public static StartingPosition parse(String text) {
        String t = text.trim();
        switch (t) {
            case "committed":
                return new StartingPosition(Kind.COMMITTED, 0);
            case "earliest":
                return new StartingPosition(Kind.EARLIEST, 0);
            case "latest":
                return new StartingPosition(Kind.LATEST, 0);
            default:
                try {
                    return new StartingPosition(Kind.TIMESTAMP, Long.parseLong(t));
                } catch (NumberFormatException e) {
                    try {
                        return new StartingPosition(
                                Kind.TIMESTAMP, Instant.parse(t).toEpochMilli());
                    } catch (DateTimeParseException e2) {
                        throw new IllegalArgumentException(
                                "must be committed, earliest, latest, an ISO-8601 instant or epoch"
                                        + " milliseconds, not '"
                                        + t
                                        + "'");
                    }
                }
        }
    }

    public OffsetsInitializer toOffsetsInitializer() {
        switch (kind) {
            case COMMITTED:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.timestamp(timestamp);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP
                ? Instant.ofEpochMilli(timestamp).toString()
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
