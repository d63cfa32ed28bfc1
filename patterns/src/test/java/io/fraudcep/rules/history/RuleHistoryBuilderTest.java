package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.base;
import static io.fraudcep.rules.history.RuleRecordFixtures.minutes;
import static io.fraudcep.rules.history.RuleRecordFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A replay's history from the topic's records and the live job's audit records: each valid record
 * is a version from the instant the live job applied it at, invalid records are set aside with
 * where they were read and why.
 */
class RuleHistoryBuilderTest {

    private static final String OTHER = "ACCOUNT_TAKEOVER";

    private final RuleHistoryBuilder builder = new RuleHistoryBuilder(base());

    private static AppliedVersion applied(String id, long v, Instant from, Instant at) {
        return new AppliedVersion(id, v, from, at, at.isAfter(from), v + "-0123456789ab", "active");
    }

    @Test
    void withoutAuditRecordsEachVersionIsInForceFromItsEffectiveFrom() {
        builder.offer("fraud-rules-0@0", ID, version(ID, 1, minutes(10), "active"));
        builder.offer("fraud-rules-0@1", ID, version(ID, 2, minutes(20), "shadow"));

        RuleHistory h = builder.build();

        assertThat(h.versions())
                .extracting(RuleVersion::ruleVersion, RuleVersion::effectiveFrom)
                .containsExactly(tuple(1L, minutes(10)), tuple(2L, minutes(20)));
        assertThat(h.base()).isEqualTo(base());
    }

    @Test
    void anAppliedInstantReplacesEffectiveFromOnlyForTheVersionItNames() {
        builder.offer("fraud-rules-0@0", ID, version(ID, 1, minutes(10), "active"));
        builder.offer("fraud-rules-0@1", ID, version(ID, 2, minutes(20), "active"));
        builder.offer("fraud-rules-1@0", OTHER, version(OTHER, 2, minutes(20), "active"));
        builder.applied(applied(ID, 2, minutes(20), minutes(25)));

        RuleHistory h = builder.build();

        assertThat(h.versions())
                .extracting(
                        RuleVersion::ruleId, RuleVersion::ruleVersion, RuleVersion::effectiveFrom)
                .containsExactly(
                        tuple(ID, 1L, minutes(10)),
                        tuple(ID, 2L, minutes(25)),
                        tuple(OTHER, 2L, minutes(20)));
        assertThat(h.inForce(ID, minutes(24)).ruleVersion()).isEqualTo(1);
        assertThat(h.inForce(ID, minutes(25)).ruleVersion()).isEqualTo(2);
    }

    @Test
    void anAuditRecordReadBeforeItsVersionStillApplies() {
        builder.applied(applied(ID, 1, minutes(10), minutes(12)));
        builder.offer("fraud-rules-0@0", ID, version(ID, 1, minutes(10), "active"));

        assertThat(builder.build().versions().get(0).effectiveFrom()).isEqualTo(minutes(12));
    }

    @Test
    void anAuditRecordOfAnUnknownVersionChangesNothing() {
        builder.offer("fraud-rules-0@0", ID, version(ID, 1, minutes(10), "active"));
        builder.applied(applied(ID, 7, minutes(10), minutes(30)));
        builder.applied(applied(OTHER, 1, minutes(10), minutes(30)));

        assertThat(builder.build().versions())
                .extracting(RuleVersion::ruleVersion, RuleVersion::effectiveFrom)
                .containsExactly(tuple(1L, minutes(10)));
    }

    @Test
    void anInvalidRecordIsSetAsideWithWhereItWasReadAndWhy() {
        String stale = version(ID, 1, minutes(30), "active");
        builder.offer("fraud-rules-0@0", ID, version(ID, 2, minutes(10), "active"));

        boolean accepted = builder.offer("fraud-rules-0@1", ID, stale);
        boolean notJson = builder.offer("fraud-rules-0@2", ID, "not JSON");

        assertThat(accepted).isFalse();
        assertThat(notJson).isFalse();
        assertThat(builder.rejected())
                .extracting(
                        RuleHistoryBuilder.Rejected::where,
                        RuleHistoryBuilder.Rejected::key,
                        RuleHistoryBuilder.Rejected::value)
                .containsExactly(
                        tuple("fraud-rules-0@1", ID, stale),
                        tuple("fraud-rules-0@2", ID, "not JSON"));
        assertThat(builder.rejected().get(0).reason())
                .isEqualTo(
                        "rule CARD_TESTING, field ruleVersion: 1 does not increase: version 2 is"
                                + " already in the history");
        assertThat(builder.rejected().get(1).reason()).startsWith("rule CARD_TESTING: not JSON: ");
        assertThat(builder.records()).extracting(RuleRecord::ruleVersion).containsExactly(2L);
        assertThat(builder.build().versions()).hasSize(1);
        assertThat(builder.ledger().lastVersion(ID)).isEqualTo(2);
    }

    @Test
    void aRejectedRecordLeavesTheVersionInForce() {
        builder.offer("fraud-rules-0@0", ID, version(ID, 1, T0, "active"));
        builder.offer("fraud-rules-0@1", ID, version(ID, 1, minutes(10), "disabled"));

        RuleHistory h = builder.build();

        assertThat(h.inForce(ID, minutes(20)).ruleVersion()).isEqualTo(1);
        assertThat(h.inForce(ID, minutes(20)).effectiveFrom()).isEqualTo(T0);
    }
}
