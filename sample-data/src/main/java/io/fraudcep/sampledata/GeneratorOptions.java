package io.fraudcep.sampledata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What {@link LogGenerator} generates: validated, with the defaults of the {@code generate}
 * command. Equal options give byte-identical logs.
 *
 * @param seed seed of every random choice
 * @param users number of users (1..1,000,000)
 * @param days days of background activity from {@code start} (7..3650)
 * @param start first day of the log, at 00:00 UTC
 * @param fraudRate share of users that carry one injected positive scenario (0..1)
 * @param nearMissRate share of users that carry one near-miss scenario (0..1); with {@code
 *     fraudRate} at most 1
 * @param badRecords add a few lines that break the event contract
 * @param duplicates add a few exact re-sends of events (same eventId, same content)
 * @param exampleRules also inject positives of the four example rules of rules.md, labelled with
 *     the rule's id (off: the log is exactly that of the nine patterns)
 */
public record GeneratorOptions(
        long seed,
        int users,
        int days,
        LocalDate start,
        double fraudRate,
        double nearMissRate,
        boolean badRecords,
        boolean duplicates,
        boolean exampleRules) {

    public static final long DEFAULT_SEED = 1L;
    public static final int DEFAULT_USERS = 1_000;
    public static final int DEFAULT_DAYS = 30;
    public static final LocalDate DEFAULT_START = LocalDate.of(2026, 1, 5);
    public static final double DEFAULT_FRAUD_RATE = 0.02;
    public static final int MAX_USERS = 1_000_000;
    public static final int MIN_DAYS = 7;
    public static final int MAX_DAYS = 3650;

    public GeneratorOptions {
        if (users < 1 || users > MAX_USERS) {
            throw new IllegalArgumentException(
                    "--users must be between 1 and " + MAX_USERS + ", not " + users);
        }
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException(
                    "--days must be between " + MIN_DAYS + " and " + MAX_DAYS + ", not " + days);
        }
        if (start == null) {
            throw new IllegalArgumentException("--start is required");
        }
        if (start.getYear() < 2000 || start.getYear() > 2100) {
            throw new IllegalArgumentException(
                    "--start must be a date between 2000 and 2100, not " + start);
        }
        if (!(fraudRate >= 0.0 && fraudRate <= 1.0)) {
            throw new IllegalArgumentException(
                    "--fraud-rate must be between 0 and 1, not " + fraudRate);
        }
        if (!(nearMissRate >= 0.0 && nearMissRate <= 1.0)) {
            throw new IllegalArgumentException(
                    "--near-miss-rate must be between 0 and 1, not " + nearMissRate);
        }
        if (fraudRate + nearMissRate > 1.0 + 1e-9) {
            throw new IllegalArgumentException(
                    "--fraud-rate plus --near-miss-rate must be at most 1 (one scenario per"
                            + " user), not "
                            + fraudRate
                            + " + "
                            + nearMissRate);
        }
    }

    /** The defaults: seed 1, 1000 users, 30 days from 2026-01-05, 2% fraud, 2% near misses. */
    public static Builder builder() {
        return new Builder();
    }

    /** Start of the log as an instant (00:00 UTC of {@link #start()}). */
    public Instant startInstant() {
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Number of users that carry an injected positive. */
    public int positiveUsers() {
        return (int) Math.round(users * fraudRate);
    }

    /** Number of users that carry a near miss. */
    public int nearMissUsers() {
        return Math.min(users - positiveUsers(), (int) Math.round(users * nearMissRate));
    }

    /** Builds options field by field from the defaults. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private int users = DEFAULT_USERS;
        private int days = DEFAULT_DAYS;
        private LocalDate start = DEFAULT_START;
        private double fraudRate = DEFAULT_FRAUD_RATE;
        private Double nearMissRate;
        private boolean badRecords;
        private boolean duplicates;
        private boolean exampleRules;

        private Builder() {}

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder users(int v) {
            users = v;
            return this;
        }

        public Builder days(int v) {
            days = v;
            return this;
        }

        public Builder start(LocalDate v) {
            start = v;
            return this;
        }

        public Builder fraudRate(double v) {
            fraudRate = v;
            return this;
        }

        /** Defaults to the fraud rate. */
        public Builder nearMissRate(double v) {
            nearMissRate = v;
            return this;
        }

        public Builder badRecords(boolean v) {
            badRecords = v;
            return this;
        }

        public Builder duplicates(boolean v) {
            duplicates = v;
            return this;
        }

        public Builder exampleRules(boolean v) {
            exampleRules = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option that is out of range
         */
        public GeneratorOptions build() {
            double nearMiss =
                    nearMissRate != null ? nearMissRate : Math.min(fraudRate, 1.0 - fraudRate);
            return new GeneratorOptions(
                    seed,
                    users,
                    days,
                    start,
                    fraudRate,
                    nearMiss,
                    badRecords,
                    duplicates,
                    exampleRules);
        }
    }
}
