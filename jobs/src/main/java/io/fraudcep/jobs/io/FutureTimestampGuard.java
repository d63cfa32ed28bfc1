package io.fraudcep.jobs.io;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Rejects events whose time is implausibly far ahead of the reading job's clock: a producer with a
 * wrong clock, a unit mix-up or a malicious record would otherwise move its partition's watermark
 * into the future and turn every later event of every topic into a late one, for good.
 *
 * <p>The clock is the wall clock for a live job. A replay has none of its own: it judges against a
 * fixed instant, the end of the range it replays (nothing written to the log by then can be from
 * after it, give or take the skew).
 */
public abstract class FutureTimestampGuard implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Duration maxSkew;

    private FutureTimestampGuard(Duration maxSkew) {
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("the skew must not be negative: " + maxSkew);
        }
        this.maxSkew = maxSkew;
    }

    /** Events more than {@code maxSkew} ahead of the wall clock at reading are rejected. */
    public static FutureTimestampGuard wallClock(Duration maxSkew) {
        return new WallClockGuard(maxSkew);
    }

    /** Events more than {@code maxSkew} ahead of {@code reference} are rejected. */
    public static FutureTimestampGuard fixed(Instant reference, Duration maxSkew) {
        return new FixedGuard(reference, maxSkew);
    }

    /** The latest event time accepted now, in epoch milliseconds. */
    abstract long limitMillis();

    /** What the limit is measured from, for the dead letter's sentence. */
    abstract String clockName();

    /** The dead-letter sentence for an event at {@code t}, or null if {@code t} is plausible. */
    public String check(Instant t) {
        long limit = limitMillis();
        if (t.toEpochMilli() <= limit) {
            return null;
        }
        return "field 'timestamp': "
                + t
                + " is more than "
                + maxSkew
                + " ahead of "
                + clockName()
                + " ("
                + Instant.ofEpochMilli(limit).minus(maxSkew)
                + ")";
    }

    public Duration maxSkew() {
        return maxSkew;
    }

    private static final class WallClockGuard extends FutureTimestampGuard {
        private static final long serialVersionUID = 1L;

        WallClockGuard(Duration maxSkew) {
            super(maxSkew);
            this.skewMillis = maxSkew.toMillis();
        }

        private final long skewMillis;

        @Override
        long limitMillis() {
            return System.currentTimeMillis() + skewMillis;
        }

        @Override
        String clockName() {
            return "the wall clock";
        }
    }

    private static final class FixedGuard extends FutureTimestampGuard {
        private static final long serialVersionUID = 1L;

        private final long limitMillis;
        private final Instant reference;

        FixedGuard(Instant reference, Duration maxSkew) {
            super(maxSkew);
            this.reference = reference;
            this.limitMillis = reference.plus(maxSkew).toEpochMilli();
        }

        @Override
        long limitMillis() {
            return limitMillis;
        }

        @Override
        String clockName() {
            return "the end of the replayed range";
        }

        @Override
        public String toString() {
            return "at most " + maxSkew() + " after " + reference;
        }
    }
}
