package io.fraudcep.rules.history;

import io.fraudcep.rules.Rule;
import java.io.Serializable;
import java.time.Instant;

/**
 * A rule version placed on the event-time axis: from {@code effectiveFrom} on (until the next
 * version of the same id) it judges the rule's triggers. {@code effectiveFrom} is the instant the
 * version was applied at: the record's own, or the watermark's for a version that reached the job
 * late (rules.md).
 *
 * @param ruleId the rule id
 * @param ruleVersion the record's version, 0 for the rule file's rules
 * @param effectiveFrom the first event-time instant it judges, or {@link Instant#MIN} for the rule
 *     file's rules
 * @param rule the rule; {@code mode: disabled} retires the id from that instant
 * @param ruleJson the rule object as published, for a version of the topic (what a job keeps in its
 *     state); null for the rule file's rules
 */
public record RuleVersion(
        String ruleId, long ruleVersion, Instant effectiveFrom, Rule rule, String ruleJson)
        implements Serializable {

    /** A version without its published text (the rule file's, or one made in a test). */
    public RuleVersion(String ruleId, long ruleVersion, Instant effectiveFrom, Rule rule) {
        this(ruleId, ruleVersion, effectiveFrom, rule, null);
    }
}
