package io.fraudcep.rules.history;

/**
 * A record of the rule control topic as read, before validation: where it came from, its key and
 * its value as text.
 *
 * @param key the record's key (the rule id), or null
 * @param value the record's value (JSON), or null
 * @param topic the topic (or, for a history file, the file's name)
 * @param partition the partition (0 for a file)
 * @param offset the offset (for a file, the 0-based line number)
 */
public record RuleRecordInput(String key, String value, String topic, int partition, long offset) {

    /** Where the record was read, for messages: {@code fraud-rules-0@12}. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
