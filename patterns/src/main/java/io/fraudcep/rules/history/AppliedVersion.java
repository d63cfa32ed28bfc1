package io.fraudcep.rules.history;

import java.time.Instant;

/**
 * The audit record the live job writes for each rule version it applies (topic {@code
 * fraud-rules-applied}): the instant it used, so that a replay applies the version at the same
 * instant. {@code appliedFrom} differs from {@code effectiveFrom} only for a version that reached
 * the job after the watermark had passed its {@code effectiveFrom}.
 *
 * @param ruleId the rule id
 * @param ruleVersion the version
 * @param effectiveFrom the instant the record asked for
 * @param appliedFrom the instant from which the job applied it
 * @param late whether the watermark had passed {@code effectiveFrom}
 * @param patternVersion the version and hash that alerts of this version carry
 * @param mode the version's mode: active, shadow or disabled
 */
public record AppliedVersion(
        String ruleId,
        long ruleVersion,
        Instant effectiveFrom,
        Instant appliedFrom,
        boolean late,
        String patternVersion,
        String mode)
        implements java.io.Serializable {}
