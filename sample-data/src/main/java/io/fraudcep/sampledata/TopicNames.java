package io.fraudcep.sampledata;

/**
 * The Kafka topic that receives each topic file of a log.
 *
 * @param logins topic of {@code user-logins.jsonl}
 * @param transactions topic of {@code user-transactions.jsonl}
 * @param accountChanges topic of {@code user-account-changes.jsonl}
 */
public record TopicNames(String logins, String transactions, String accountChanges) {

    public TopicNames {
        requireName("--logins-topic", logins);
        requireName("--transactions-topic", transactions);
        requireName("--account-changes-topic", accountChanges);
    }

    /** {@code user-logins}, {@code user-transactions}, {@code user-account-changes}. */
    public static TopicNames defaults() {
        return new TopicNames(
                Topic.LOGINS.defaultName(),
                Topic.TRANSACTIONS.defaultName(),
                Topic.ACCOUNT_CHANGES.defaultName());
    }

    /** The topic name for one topic file. */
    public String of(Topic topic) {
        switch (topic) {
            case LOGINS:
                return logins;
            case TRANSACTIONS:
                return transactions;
            default:
                return accountChanges;
        }
    }

    private static void requireName(String option, String name) {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(
                    option
                            + " must be a Kafka topic name (1..249 of a-z A-Z 0-9 . _ -), not '"
                            + name
                            + "'");
        }
    }
}
