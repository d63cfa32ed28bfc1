package io.fraudcep.rules.history;

import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link RuleHistory} a replay (or a starting job) applies from the records of the
 * control topic and the audit records of the live job: each valid record becomes a version in force
 * from the instant the live job applied it at, where an audit record says, otherwise from its
 * {@code effectiveFrom}. Invalid records are kept aside with their reasons, as the live job sent
 * them to its dead letters.
 */
public final class RuleHistoryBuilder {

    /**
     * A record that changed nothing, and why.
     *
     * @param where where it was read
     * @param key its key, or null
     * @param value its value as read
     * @param reason the sentence naming the rule and the field
     */
    public record Rejected(String where, String key, String value, String reason) {}

    private final RuleSet base;
    private final RuleLedger ledger;
    private final List<RuleRecord> records = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final Map<VersionKey, Instant> appliedAt = new HashMap<>();

    /** One version of one rule id. */
    private record VersionKey(String ruleId, long ruleVersion) {}

    /** A builder for jobs with the default look-back horizon. */
    public RuleHistoryBuilder(RuleSet base) {
        this(base, RuleHistory.DEFAULT_HORIZON);
    }

    /** A builder for jobs that look back {@code horizon} (longer versions are rejected). */
    public RuleHistoryBuilder(RuleSet base, Duration horizon) {
        this.base = base;
        this.ledger = new RuleLedger(horizon);
    }

    /**
     * Offers a record of the control topic, in topic order.
     *
     * @param where where it was read (e.g. {@code fraud-rules-0@12}, {@code history.jsonl:3})
     * @param key the record's key (the rule id), or null where there is none (a history file)
     * @param value the record's JSON value
     * @return whether it was accepted
     */
    public boolean offer(String where, String key, String value) {
        try {
            records.add(ledger.admit(key, value));
            return true;
        } catch (RuleRecordException e) {
            rejected.add(new Rejected(where, key, value, e.getMessage()));
            return false;
        }
    }

    /** Records the instant the live job applied a version at. */
    public void applied(AppliedVersion applied) {
        appliedAt.put(
                new VersionKey(applied.ruleId(), applied.ruleVersion()), applied.appliedFrom());
    }

    /** The accepted records, in topic order. */
    public List<RuleRecord> records() {
        return List.copyOf(records);
    }

    /** The records that changed nothing, in topic order. */
    public List<Rejected> rejected() {
        return List.copyOf(rejected);
    }

    /** The ledger of the accepted records (the last version of each id). */
    public RuleLedger ledger() {
        return ledger;
    }

    /** The history: the base and every accepted version at its applied instant. */
    public RuleHistory build() {
        List<RuleVersion> versions = new ArrayList<>();
        for (RuleRecord r : records) {
            Instant at =
                    appliedAt.getOrDefault(
                            new VersionKey(r.ruleId(), r.ruleVersion()), r.effectiveFrom());
            versions.add(new RuleVersion(r.ruleId(), r.ruleVersion(), at, r.rule(), r.ruleJson()));
        }
        return new RuleHistory(base, versions);
    }
}
