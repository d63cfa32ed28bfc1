package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.minutes;
import static io.fraudcep.rules.history.RuleRecordFixtures.valid;
import static io.fraudcep.rules.history.RuleRecordFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The version gate: a record is admitted only if it is valid, its key is its rule id and its
 * version increases; a rejected record changes nothing.
 */
class RuleLedgerTest {

    private final RuleLedger ledger = new RuleLedger();

    @Test
    void aValidRecordIsAdmittedAndBecomesTheLastVersion() {
        RuleRecord r = ledger.admit(ID, version(ID, 1, T0, "active"));

        assertThat(r.ruleVersion()).isEqualTo(1);
        assertThat(ledger.lastVersion(ID)).isEqualTo(1);
        assertThat(ledger.lastVersion("ACCOUNT_TAKEOVER")).isZero();
    }

    @Test
    void aRecordWithoutAKeyIsAdmitted() {
        ledger.admit(null, version(ID, 1, T0, "active"));

        assertThat(ledger.lastVersions()).containsExactly(entry(ID, 1L));
    }

    @Test
    void aKeyThatIsNotTheRuleIdIsRejected() {
        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class,
                        () -> ledger.admit("ACCOUNT_TAKEOVER", version(ID, 1, T0, "active")));

        assertThat(e.ruleId()).isEqualTo(ID);
        assertThat(e.field()).isEqualTo("key");
        assertThat(e.getMessage())
                .isEqualTo(
                        "rule CARD_TESTING, field key: the record's key 'ACCOUNT_TAKEOVER' differs"
                                + " from its ruleId: the key is the rule id");
        assertThat(ledger.lastVersions()).isEmpty();
    }

    @Test
    void theSameVersionAgainIsRejectedAsNotIncreasing() {
        ledger.admit(ID, version(ID, 2, T0, "active"));

        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class,
                        () -> ledger.admit(ID, version(ID, 2, minutes(5), "shadow")));

        assertThat(e.field()).isEqualTo("ruleVersion");
        assertThat(e.getMessage())
                .isEqualTo(
                        "rule CARD_TESTING, field ruleVersion: 2 does not increase: version 2 is"
                                + " already in the history");
    }

    @Test
    void aLowerVersionIsRejectedAsNotIncreasing() {
        ledger.admit(ID, version(ID, 3, T0, "active"));

        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class,
                        () -> ledger.admit(ID, version(ID, 1, minutes(5), "active")));

        assertThat(e.getMessage())
                .isEqualTo(
                        "rule CARD_TESTING, field ruleVersion: 1 does not increase: version 3 is"
                                + " already in the history");
        assertThat(ledger.lastVersion(ID)).isEqualTo(3);
    }

    @Test
    void versionsIncreasePerRuleId() {
        ledger.admit(ID, version(ID, 5, T0, "active"));

        ledger.admit("ACCOUNT_TAKEOVER", version("ACCOUNT_TAKEOVER", 1, T0, "active"));

        assertThat(ledger.lastVersions())
                .containsOnly(entry(ID, 5L), entry("ACCOUNT_TAKEOVER", 1L));
    }

    @Test
    void aRejectedRecordChangesNothingAndTheNextValidVersionIsAdmitted() {
        ledger.admit(ID, version(ID, 1, T0, "active"));
        String badRule =
                valid(
                        v -> {
                            v.put("ruleVersion", 2);
                            ((ObjectNode) v.withObject("rule").withArray("steps").get(0))
                                    .put("where", "amont > 3");
                        });

        assertThatThrownBy(() -> ledger.admit(ID, badRule)).isInstanceOf(RuleRecordException.class);
        assertThatThrownBy(() -> ledger.admit(ID, "not JSON"))
                .isInstanceOf(RuleRecordException.class);
        assertThatThrownBy(() -> ledger.admit("OTHER_RULE", version(ID, 3, T0, "active")))
                .isInstanceOf(RuleRecordException.class);

        assertThat(ledger.lastVersion(ID)).isEqualTo(1);
        assertThat(ledger.admit(ID, version(ID, 2, minutes(10), "shadow")).ruleVersion())
                .isEqualTo(2);
        assertThat(ledger.lastVersion(ID)).isEqualTo(2);
    }

    @Test
    void aValueThatSaysNoRuleIsRejectedNamingTheRuleOfItsKey() {
        RuleRecordException notJson =
                catchThrowableOfType(
                        RuleRecordException.class, () -> ledger.admit(ID, "CARD_TESTING v2"));
        RuleRecordException tombstone =
                catchThrowableOfType(RuleRecordException.class, () -> ledger.admit(ID, null));

        assertThat(notJson.ruleId()).isEqualTo(ID);
        assertThat(notJson.getMessage()).startsWith("rule CARD_TESTING: not JSON: ");
        assertThat(tombstone.getMessage())
                .isEqualTo("rule CARD_TESTING: empty: a rule record is a JSON object");
    }

    @Test
    void aValueWithoutAKeyOrARuleNamesNoRule() {
        RuleRecordException e =
                catchThrowableOfType(RuleRecordException.class, () -> ledger.admit(null, "[]"));

        assertThat(e.ruleId()).isNull();
        assertThat(e.getMessage()).isEqualTo("a rule record is a JSON object, found a list");
    }

    @Test
    void aRestoredLedgerGoesOnFromItsVersions() {
        ledger.restore(Map.of(ID, 4L));

        assertThat(ledger.lastVersion(ID)).isEqualTo(4);
        assertThatThrownBy(() -> ledger.admit(ID, version(ID, 4, T0, "active")))
                .isInstanceOf(RuleRecordException.class)
                .hasMessageContaining("does not increase");
        assertThat(ledger.admit(ID, version(ID, 5, T0, "active")).ruleVersion()).isEqualTo(5);
    }
}
