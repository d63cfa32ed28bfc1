package io.fraudcep.rules.history;

import java.time.Instant;

/**
 * A rule version on its way from the version gate to the detection operator's subtasks: plain
 * fields only (the rule as its published JSON), so it travels and sits in broadcast state with
 * Flink's own serializers. Each subtask parses and compiles the rule once.
 *
 * @param ruleId the rule id
 * @param ruleVersion the version
 * @param effectiveFrom the instant it was applied at (the record's, or the watermark's if late)
 * @param ruleJson the rule object as published
 */
public record RuleChange(String ruleId, long ruleVersion, Instant effectiveFrom, String ruleJson) {

    /** The version this change carries, parsed and validated. */
    public RuleVersion toVersion() {
        return new RuleVersion(
                ruleId,
                ruleVersion,
                effectiveFrom,
                RuleRecords.parseRule(ruleJson, ruleVersion),
                ruleJson);
    }

    /** The change that carries {@code version}, which must have its published text. */
    public static RuleChange of(RuleVersion version) {
        if (version.ruleJson() == null) {
            throw new IllegalArgumentException(
                    "rule "
                            + version.ruleId()
                            + " version "
                            + version.ruleVersion()
                            + " has no published text to keep in state");
        }
        return new RuleChange(
                version.ruleId(),
                version.ruleVersion(),
                version.effectiveFrom(),
                version.ruleJson());
    }
}
