package io.fraudcep.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples of a job's progress (records into an operator over time) and what they say about pauses:
 * the longest time in which no record arrived, and the records of each whole second of the run.
 */
final class ProgressTrace {

    /**
     * What a trace says about pauses.
     *
     * @param longestStallMillis the longest time between two samples that saw progress, from the
     *     first record to the last (the sample interval at least)
     * @param slowestSecond the fewest records in one whole second, the first second left out (the
     *     job warming up); -1 if the run was shorter than three seconds
     * @param medianSecond the median records per whole second, the first left out; -1 as above
     * @param seconds the whole seconds from the first record
     */
    record Pauses(long longestStallMillis, long slowestSecond, long medianSecond, int seconds) {}

    private long[] nanos = new long[1024];
    private long[] counts = new long[1024];
    private int size;

    /** Adds a sample; samples come in time order. */
    void add(long atNanos, long count) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        nanos[size] = atNanos;
        counts[size] = count;
        size++;
    }

    /**
     * A time without progress: from the last sample that saw a record arrive to the next one.
     *
     * @param fromNanos System.nanoTime() of the last sample before it that saw progress
     * @param toNanos System.nanoTime() of the sample that saw progress again
     */
    record Stall(long fromNanos, long toNanos) {
        long millis() {
            return (toNanos - fromNanos) / 1_000_000;
        }
    }

    /** The stalls of at least {@code minMillis} up to {@code endNanos}, in time order. */
    List<Stall> stalls(long endNanos, long minMillis) {
        List<Stall> stalls = new ArrayList<>();
        int first = first();
        if (first < 0) {
            return stalls;
        }
        long lastChange = nanos[first];
        for (int i = first + 1; i < size && nanos[i] <= endNanos; i++) {
            if (counts[i] != counts[i - 1]) {
                if (nanos[i] - lastChange >= minMillis * 1_000_000L) {
                    stalls.add(new Stall(lastChange, nanos[i]));
                }
                lastChange = nanos[i];
            }
        }
        return stalls;
    }

    private int first() {
        for (int i = 0; i < size; i++) {
            if (counts[i] > 0) {
                return i;
            }
        }
        return -1;
    }

    /** The pauses between the first sample that saw a record and the sample at {@code endNanos}. */
    Pauses pauses(long endNanos) {
        int first = first();
        if (first < 0) {
            return new Pauses(0, -1, -1, 0);
        }
        long longest = 0;
        long lastChange = nanos[first];
        for (int i = first + 1; i < size && nanos[i] <= endNanos; i++) {
            if (counts[i] != counts[i - 1]) {
                longest = Math.max(longest, nanos[i] - lastChange);
                lastChange = nanos[i];
            }
        }
        int seconds = (int) ((endNanos - nanos[first]) / 1_000_000_000L);
        long[] perSecond = new long[Math.max(0, seconds - 1)];
        for (int s = 1; s < seconds; s++) {
            long from = nanos[first] + s * 1_000_000_000L;
            perSecond[s - 1] = countAt(from + 1_000_000_000L) - countAt(from);
        }
        if (perSecond.length < 2) {
            return new Pauses(longest / 1_000_000, -1, -1, seconds);
        }
        long[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        return new Pauses(longest / 1_000_000, sorted[0], sorted[sorted.length / 2], seconds);
    }

    /** The count of the last sample at or before {@code at}. */
    private long countAt(long at) {
        int i = Arrays.binarySearch(nanos, 0, size, at);
        int last = i >= 0 ? i : -i - 2;
        return last < 0 ? 0 : counts[last];
    }
}
