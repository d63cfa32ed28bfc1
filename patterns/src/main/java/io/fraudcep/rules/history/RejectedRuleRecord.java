package io.fraudcep.rules.history;

/**
 * A rule record that changed nothing, and why: it goes to the dead letters, the version in force
 * stays.
 *
 * @param input the record as read
 * @param ruleId the rule id as far as it could be read, or null
 * @param field the field at fault, or null
 * @param reason the sentence naming the rule and the field
 */
public record RejectedRuleRecord(
        RuleRecordInput input, String ruleId, String field, String reason) {}
