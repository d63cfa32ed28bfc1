package io.fraudcep.patterns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recent events a stateful pattern keeps for one user, oldest first: ids, exact event times
 * (epoch nanoseconds), amounts in cents and a small kind tag. Parallel arrays keep it compact and
 * serialized by Flink's POJO serializer.
 */
public class RecentEvents {

    public String[] ids = new String[0];
    public long[] epochNanos = new long[0];
    public long[] cents = new long[0];
    public byte[] kinds = new byte[0];

    public RecentEvents() {}

    public int size() {
        return ids.length;
    }

    public void append(String id, Instant time, long amountCents, byte kind) {
        int n = ids.length;
        ids = Arrays.copyOf(ids, n + 1);
        epochNanos = Arrays.copyOf(epochNanos, n + 1);
        cents = Arrays.copyOf(cents, n + 1);
        kinds = Arrays.copyOf(kinds, n + 1);
        ids[n] = id;
        epochNanos[n] = toNanos(time);
        cents[n] = amountCents;
        kinds[n] = kind;
    }

    /** Drops the events that are not less than {@code windowNanos} before {@code now}. */
    public void dropNotWithin(Instant now, long windowNanos) {
        dropNotWithin(toNanos(now), windowNanos);
    }

    void dropNotWithin(long nowNanos, long windowNanos) {
        int from = 0;
        while (from < ids.length && nowNanos - epochNanos[from] >= windowNanos) {
            from++;
        }
        dropFirst(from);
    }

    public void dropFirst(int count) {
        if (count > 0) {
            ids = Arrays.copyOfRange(ids, count, ids.length);
            epochNanos = Arrays.copyOfRange(epochNanos, count, epochNanos.length);
            cents = Arrays.copyOfRange(cents, count, cents.length);
            kinds = Arrays.copyOfRange(kinds, count, kinds.length);
        }
    }

    public Instant time(int i) {
        return Instant.ofEpochSecond(0, epochNanos[i]);
    }

    public List<String> idsFrom(int from) {
        return new ArrayList<>(Arrays.asList(ids).subList(from, ids.length));
    }

    static long toNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
