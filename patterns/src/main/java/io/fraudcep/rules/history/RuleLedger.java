package io.fraudcep.rules.history;

import io.fraudcep.rules.RuleMode;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The last accepted version of each rule id: what decides whether a record of the control topic
 * changes anything (rules.md: an unparseable record, an invalid rule or a version that does not
 * increase changes nothing). Used by the live job's version gate, by replays reading the history
 * and by {@code bin/fraud rules publish} to number the next versions.
 */
public final class RuleLedger implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Long> lastVersions = new HashMap<>();
    private final Duration horizon;

    /** A ledger for jobs with the default look-back horizon. */
    public RuleLedger() {
        this(RuleHistory.DEFAULT_HORIZON);
    }

    /**
     * A ledger for jobs that look back {@code horizon}: an evaluated version needing more is
     * refused (field {@code rule.window}), as the job would refuse it.
     */
    public RuleLedger(Duration horizon) {
        this.horizon = horizon;
    }

    /**
     * Parses and validates a record as read from the topic and, if it is valid, records its
     * version.
     *
     * @param key the record's key (the rule id), or null where there is none (a history file)
     * @param value the record's JSON value
     * @return the accepted record
     * @throws RuleRecordException naming the rule and the field at fault; nothing is recorded
     */
    public RuleRecord admit(String key, String value) {
        RuleRecord record;
        try {
            record = RuleRecords.parse(value);
        } catch (RuleRecordException e) {
            // A value that does not say which rule it is (not JSON, no ruleId): its key does.
            throw e.ruleId() == null && key != null && !key.isBlank() ? e.withRuleId(key) : e;
        }
        if (key != null && !key.equals(record.ruleId())) {
            throw new RuleRecordException(
                    record.ruleId(),
                    "key",
                    "the record's key '"
                            + key
                            + "' differs from its ruleId: the key is the rule id");
        }
        if (record.rule().mode() != RuleMode.DISABLED) {
            String problem = RuleHistory.horizonProblem(record.rule(), horizon);
            if (problem != null) {
                throw new RuleRecordException(record.ruleId(), "rule.window", problem);
            }
        }
        Long last = lastVersions.get(record.ruleId());
        if (last != null && record.ruleVersion() <= last) {
            throw new RuleRecordException(
                    record.ruleId(),
                    "ruleVersion",
                    record.ruleVersion()
                            + " does not increase: version "
                            + last
                            + " is already in the history");
        }
        lastVersions.put(record.ruleId(), record.ruleVersion());
        return record;
    }

    /** The last accepted version of {@code ruleId}, or 0 if none. */
    public long lastVersion(String ruleId) {
        return lastVersions.getOrDefault(ruleId, 0L);
    }

    /** Every rule id with an accepted version, and its last version. */
    public Map<String, Long> lastVersions() {
        return Map.copyOf(lastVersions);
    }

    /** Restores the ledger from {@link #lastVersions()} (operator state). */
    public void restore(Map<String, Long> versions) {
        lastVersions.clear();
        lastVersions.putAll(versions);
    }
}
