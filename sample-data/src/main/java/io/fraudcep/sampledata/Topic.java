package io.fraudcep.sampledata;

import io.fraudcep.model.EventType;

/**
 * The three input topics of events.md, each with its default name and the JSONL file that holds it
 * in a log directory ({@code <default name>.jsonl}).
 */
public enum Topic {
    LOGINS("user-logins"),
    TRANSACTIONS("user-transactions"),
    ACCOUNT_CHANGES("user-account-changes");

    private final String defaultName;

    Topic(String defaultName) {
        this.defaultName = defaultName;
    }

    /** The default Kafka topic name, e.g. {@code user-logins}. */
    public String defaultName() {
        return defaultName;
    }

    /** The file of this topic in a log directory, e.g. {@code user-logins.jsonl}. */
    public String fileName() {
        return defaultName + ".jsonl";
    }

    /** The topic that carries events of this type. */
    public static Topic of(EventType type) {
        switch (type.family()) {
            case LOGIN:
                return LOGINS;
            case TRANSACTION:
                return TRANSACTIONS;
            default:
                return ACCOUNT_CHANGES;
        }
    }
}
