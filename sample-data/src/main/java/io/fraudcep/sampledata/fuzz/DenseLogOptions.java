package io.fraudcep.sampledata.fuzz;

/**
 * The knobs of {@link DenseLogGenerator}: equal seeds and options give byte-identical logs.
 *
 * @param users number of users (1..100,000)
 * @param eventsPerUser approximate number of events scripted per user (20..100,000); a user ends
 *     with the episode that reaches it, so users get this many to about 30 more
 */
public record DenseLogOptions(int users, int eventsPerUser) {

    public static final int DEFAULT_USERS = 350;
    public static final int DEFAULT_EVENTS_PER_USER = 165;
    public static final DenseLogOptions DEFAULT =
            new DenseLogOptions(DEFAULT_USERS, DEFAULT_EVENTS_PER_USER);

    public DenseLogOptions {
        if (users < 1 || users > 100_000) {
            throw new IllegalArgumentException("users must be 1..100000, not " + users);
        }
        if (eventsPerUser < 20 || eventsPerUser > 100_000) {
            throw new IllegalArgumentException(
                    "eventsPerUser must be 20..100000, not " + eventsPerUser);
        }
    }

    /** These options with another number of users. */
    public DenseLogOptions withUsers(int n) {
        return new DenseLogOptions(n, eventsPerUser);
    }
}
