package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.base;
import static io.fraudcep.rules.history.RuleRecordFixtures.minutes;
import static io.fraudcep.rules.history.RuleRecordFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.rules.RuleMode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The version in force at an instant of event time (rules.md): the one with the latest
 * effectiveFrom at or before it, the higher version winning a tie; the rule file's rule is version
 * 0, in force from the beginning.
 */
class RuleHistoryTest {

    private static final String OTHER = "ACCOUNT_TAKEOVER";

    private static RuleVersion version(String id, long v, Instant from, String mode) {
        return new RuleVersion(id, v, from, record(id, v, from, mode).rule());
    }

    private static long inForce(RuleHistory h, String id, Instant t) {
        RuleVersion v = h.inForce(id, t);
        return v == null ? -1 : v.ruleVersion();
    }

    @Test
    void theRuleFilesRuleIsVersionZeroInForceFromTheBeginning() {
        RuleHistory h = RuleHistory.of(base());

        RuleVersion v = h.inForce(ID, T0);

        assertThat(v.ruleVersion()).isZero();
        assertThat(v.effectiveFrom()).isEqualTo(Instant.MIN);
        assertThat(v.rule()).isSameAs(h.base().rule(ID));
        assertThat(h.inForce(ID, Instant.MIN)).isEqualTo(v);
        assertThat(h.timeline(ID)).containsExactly(v);
    }

    @Test
    void anIdWithNoVersionHasNoneInForce() {
        RuleHistory h = RuleHistory.of(base()).with(version(OTHER, 1, minutes(10), "active"));

        assertThat(h.inForce("NO_SUCH_RULE", minutes(20))).isNull();
        assertThat(h.inForce(OTHER, minutes(9))).as("before its first version").isNull();
        assertThat(inForce(h, OTHER, minutes(10))).isEqualTo(1);
    }

    @Test
    void aVersionIsInForceFromItsEffectiveFromOn() {
        RuleHistory h = RuleHistory.of(base()).with(version(ID, 1, minutes(10), "active"));

        assertThat(inForce(h, ID, minutes(10).minusMillis(1))).as("before").isZero();
        assertThat(inForce(h, ID, minutes(10))).as("at").isEqualTo(1);
        assertThat(inForce(h, ID, minutes(600))).as("after").isEqualTo(1);
    }

    @Test
    void ofTwoVersionsEffectiveAtOneInstantTheHigherIsInForce() {
        RuleHistory h =
                RuleHistory.of(base())
                        .with(version(ID, 3, minutes(10), "shadow"))
                        .with(version(ID, 2, minutes(10), "active"));

        assertThat(inForce(h, ID, minutes(10))).isEqualTo(3);
        assertThat(h.inForce(ID, minutes(10)).rule().mode()).isEqualTo(RuleMode.SHADOW);
    }

    @Test
    void aVersionPublishedLaterWithAnEarlierEffectiveFromIsInForceUntilTheNextInTime() {
        RuleHistory h =
                RuleHistory.of(base())
                        .with(version(ID, 1, minutes(60), "active"))
                        .with(version(ID, 2, minutes(30), "shadow"));

        assertThat(inForce(h, ID, minutes(29))).isZero();
        assertThat(inForce(h, ID, minutes(30))).isEqualTo(2);
        assertThat(inForce(h, ID, minutes(60).minusMillis(1))).isEqualTo(2);
        assertThat(inForce(h, ID, minutes(60))).isEqualTo(1);
        assertThat(inForce(h, ID, minutes(600))).isEqualTo(1);
        assertThat(h.timeline(ID)).extracting(RuleVersion::ruleVersion).containsExactly(0L, 2L, 1L);
    }

    @Test
    void aDisabledVersionIsReturnedAsSuchWhileInForce() {
        RuleHistory h =
                RuleHistory.of(base())
                        .with(version(ID, 1, minutes(20), "disabled"))
                        .with(version(ID, 2, minutes(40), "active"));

        assertThat(h.inForce(ID, minutes(20)).rule().mode()).isEqualTo(RuleMode.DISABLED);
        assertThat(h.inForce(ID, minutes(39)).ruleVersion()).isEqualTo(1);
        assertThat(h.inForce(ID, minutes(40)).rule().mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(h.evaluates(ID)).isTrue();
    }

    @Test
    void anIdWhoseVersionsAreAllDisabledIsNotEvaluated() {
        RuleHistory h = RuleHistory.of(base()).with(version(OTHER, 1, T0, "disabled"));

        assertThat(h.evaluates(OTHER)).isFalse();
        assertThat(h.evaluates(ID)).isTrue();
        assertThat(h.ruleIds()).containsExactly(ID, OTHER);
    }
}
