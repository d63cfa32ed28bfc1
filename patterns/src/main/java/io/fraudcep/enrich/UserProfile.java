package io.fraudcep.enrich;

import java.time.Instant;

/**
 * What the pipeline remembers of one user between events: the last accepted event time, recent
 * event ids (for de-duplication), the devices of recent successful logins and the number of
 * accepted events. Part of the user's one state value ({@link io.fraudcep.state.UserState}); arrays
 * rather than collections keep it compact.
 */
public class UserProfile {

    /** Event time of the last accepted event, epoch ms; Long.MIN_VALUE if none. */
    public long lastEventMillis = Long.MIN_VALUE;

    /** Exact event time of the last accepted event; null if none. */
    public Instant lastEventTime;

    /** 64-bit hashes of the event ids accepted in the de-duplication horizon, oldest first. */
    public long[] recentIdHashes = new long[0];

    /** Event times (epoch ms) of {@link #recentIdHashes}, same order. */
    public long[] recentIdMillis = new long[0];

    /** The nanoseconds within the millisecond of {@link #recentIdMillis}, same order. */
    public int[] recentIdSubMillis = new int[0];

    /** Devices of successful logins in the device look-back. */
    public String[] devices = new String[0];

    /** Last successful login time (epoch ms) per entry of {@link #devices}. */
    public long[] deviceLastLoginMillis = new long[0];

    /** The nanoseconds within the millisecond of {@link #deviceLastLoginMillis}, same order. */
    public int[] deviceLastLoginSubMillis = new int[0];

    /** How many events of the user were accepted (since the job's history starts). */
    public long acceptedEvents;

    public UserProfile() {}
}
