package io.fraudcep.bench;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the loaded log's records lie in event time: the share of the records before each instant,
 * from the brokers' time indexes (the loader stamps each record with its event's time), so that a
 * watermark can be placed among the records and an instant found a given share of them away. The
 * generated log is far from uniform in event time (a few dormant users' history months before the
 * bulk of the activity), so its first and last event alone do not say it.
 */
final class EventTimeQuantiles {

    /** Instants at which the share is measured, evenly spread from the first event to the last. */
    private static final int POINTS = 512;

    private final long[] instants;
    private final double[] shares;

    private EventTimeQuantiles(long[] instants, double[] shares) {
        this.instants = instants;
        this.shares = shares;
    }

    /** Measures the topics' records between {@code first} and {@code last} (event time). */
    static EventTimeQuantiles of(Admin admin, List<String> topics, Instant first, Instant last)
            throws Exception {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription d :
                admin.describeTopics(topics).allTopicNames().get(1, TimeUnit.MINUTES).values()) {
            d.partitions()
                    .forEach(
                            p -> {
                                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                                earliest.put(tp, OffsetSpec.earliest());
                                latest.put(tp, OffsetSpec.latest());
                            });
        }
        Map<TopicPartition, Long> begin = offsets(admin, earliest, Map.of());
        Map<TopicPartition, Long> end = offsets(admin, latest, Map.of());
        long total = 0;
        for (TopicPartition tp : end.keySet()) {
            total += end.get(tp) - begin.get(tp);
        }
        long from = first.toEpochMilli();
        long to = last.toEpochMilli() + 1;
        long[] instants = new long[POINTS + 1];
        double[] shares = new double[POINTS + 1];
        for (int i = 0; i <= POINTS; i++) {
            long t = from + Math.round((to - from) * (i / (double) POINTS));
            Map<TopicPartition, OffsetSpec> at = new HashMap<>();
            end.keySet().forEach(tp -> at.put(tp, OffsetSpec.forTimestamp(t)));
            // The first record at or after t; none: every record is before t.
            Map<TopicPartition, Long> reached = offsets(admin, at, end);
            long before = 0;
            for (TopicPartition tp : end.keySet()) {
                before += reached.get(tp) - begin.get(tp);
            }
            instants[i] = t;
            shares[i] = total == 0 ? i / (double) POINTS : before / (double) total;
        }
        for (int i = 1; i <= POINTS; i++) {
            shares[i] = Math.max(shares[i], shares[i - 1]);
        }
        return new EventTimeQuantiles(instants, shares);
    }

    /** Shares given directly (tests). */
    static EventTimeQuantiles of(long[] instants, double[] shares) {
        return new EventTimeQuantiles(instants.clone(), shares.clone());
    }

    /** The share (0 to 1) of the records before {@code epochMillis}. */
    double shareBefore(long epochMillis) {
        if (epochMillis <= instants[0]) {
            return shares[0];
        }
        for (int i = 1; i < instants.length; i++) {
            if (instants[i] >= epochMillis) {
                double within =
                        (epochMillis - instants[i - 1]) / (double) (instants[i] - instants[i - 1]);
                return shares[i - 1] + within * (shares[i] - shares[i - 1]);
            }
        }
        return shares[shares.length - 1];
    }

    /** The event time before which {@code share} (0 to 1) of the records lie. */
    Instant at(double share) {
        if (share <= shares[0]) {
            return Instant.ofEpochMilli(instants[0]);
        }
        for (int i = 1; i < shares.length; i++) {
            if (shares[i] >= share) {
                double span = shares[i] - shares[i - 1];
                double within = span <= 0 ? 0 : (share - shares[i - 1]) / span;
                return Instant.ofEpochMilli(
                        instants[i - 1] + Math.round(within * (instants[i] - instants[i - 1])));
            }
        }
        return Instant.ofEpochMilli(instants[instants.length - 1]);
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin, Map<TopicPartition, OffsetSpec> specs, Map<TopicPartition, Long> ifNone)
            throws Exception {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
                admin.listOffsets(specs).all().get(1, TimeUnit.MINUTES);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach(
                (tp, info) ->
                        offsets.put(
                                tp,
                                info.offset() >= 0 ? info.offset() : ifNone.getOrDefault(tp, 0L)));
        return offsets;
    }
}
