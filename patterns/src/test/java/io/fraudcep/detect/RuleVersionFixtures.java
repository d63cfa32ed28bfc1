package io.fraudcep.detect;

import io.fraudcep.alert.AlertIds;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rule versions and events for the tests of the detection operator and the version gate: named
 * instants, rule objects written as JSON as on the control topic (validated by {@link
 * RuleRecords#parseRule}), and the {@code patternVersion} and {@code alertId} a user should see.
 */
public final class RuleVersionFixtures {

    /** The second of March 2026, 10:00 UTC: the instants of the tests count from it. */
    public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    /** Long before every event: a version in force from the start. */
    public static final Instant FROM_THE_START = T0.minus(Duration.ofHours(1));

    public static final String USER = "u1";

    /** The rule file of the tests: no rule, every rule comes as a version of the control topic. */
    public static final RuleSet NO_FILE_RULES = new RuleSet("file", List.of());

    private RuleVersionFixtures() {}

    public static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    public static Instant minutes(long m) {
        return T0.plusSeconds(60 * m);
    }

    /**
     * {@code BURST}, a VELOCITY-like rule: at least {@code atLeast} card payments, first to last
     * less than {@code window} apart.
     */
    public static String burst(String mode, int atLeast, String window) {
        return """
                {"id": "BURST", "severity": "MEDIUM", "mode": "%s", "window": "%s",
                 "params": {"minPayments": %d},
                 "steps": [{"name": "pay", "type": "CARD_PAYMENT", "times": "$minPayments+"}],
                 "summary": "{count(pay)} card payments within {span}."}
                """
                .formatted(mode, window, atLeast);
    }

    /** {@code BURST}, active, with a 10 minute window. */
    public static String burst(int atLeast) {
        return burst("active", atLeast, "10m");
    }

    /** {@code BURST} retired. */
    public static String burstDisabled() {
        return burst("disabled", 3, "10m");
    }

    /**
     * {@code QUIET_AFTER_PAYEE}, active: a payee added, then no card payment for {@code quietFor};
     * fires at that deadline.
     */
    public static String quietAfterPayee(String quietFor) {
        return quietAfterPayee("active", quietFor);
    }

    /** {@code QUIET_AFTER_PAYEE} in {@code mode}. */
    public static String quietAfterPayee(String mode, String quietFor) {
        return """
                {"id": "QUIET_AFTER_PAYEE", "severity": "LOW", "mode": "%s", "window": "5m",
                 "steps": [{"name": "payee", "type": "PAYEE_ADDED"},
                           {"name": "pay", "type": "CARD_PAYMENT", "absent": true,
                            "for": "%s"}]}
                """
                .formatted(mode, quietFor);
    }

    /** A version of the rule object {@code ruleJson}, validated as the gate validates it. */
    public static RuleChange version(long ruleVersion, Instant effectiveFrom, String ruleJson) {
        String id = RuleRecords.parseRule(ruleJson, ruleVersion).id();
        return new RuleChange(id, ruleVersion, effectiveFrom, ruleJson);
    }

    /** The {@code patternVersion} of the alerts a version gives: its number and its hash. */
    public static String patternVersion(RuleChange change) {
        return RuleCanonical.patternVersion(change.toVersion().rule());
    }

    /** The hash part of a {@code patternVersion}: the rule's canonical form, mode excluded. */
    public static String hashOf(String patternVersion) {
        return patternVersion.substring(patternVersion.indexOf('-') + 1);
    }

    /** The {@code alertId} of an alert of {@code ruleId} for {@link #USER} on these events. */
    public static String alertId(String ruleId, String... eventIds) {
        return AlertIds.of(ruleId, USER, List.of(eventIds));
    }

    public static UserEvent payment(String id, Instant t) {
        return payment(id, USER, t);
    }

    public static UserEvent payment(String id, String user, Instant t) {
        return UserEvent.builder(id, user, EventType.CARD_PAYMENT, t).amountCents(2_500).build();
    }

    public static UserEvent payeeAdded(String id, Instant t) {
        return UserEvent.builder(id, USER, EventType.PAYEE_ADDED, t).payeeId("payee-1").build();
    }
}
