package io.fraudcep.rules.history;

import io.fraudcep.rules.Rule;
import java.io.Serializable;
import java.time.Instant;

/**
 * One record of the rule control topic (rules.md, "Rule versions on the control topic"): a version
 * of one rule and the event-time instant from which it judges triggers.
 *
 * @param ruleId the rule's id, also the record's key
 * @param ruleVersion strictly increasing per rule id
 * @param effectiveFrom the event-time instant from which this version judges triggers
 * @param rule the rule, validated as in a rule file; its {@code version} is {@code ruleVersion}
 * @param ruleJson the rule object as published (JSON), what the job ships to its subtasks
 * @param publishedAt optional, for the audit trail
 * @param publishedBy optional, for the audit trail
 * @param comment optional, for the audit trail
 */
public record RuleRecord(
        String ruleId,
        long ruleVersion,
        Instant effectiveFrom,
        Rule rule,
        String ruleJson,
        String publishedAt,
        String publishedBy,
        String comment)
        implements Serializable {}
