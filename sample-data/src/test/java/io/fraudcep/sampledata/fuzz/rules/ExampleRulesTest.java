package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.RefEvents.days;
import static io.fraudcep.sampledata.fuzz.RefEvents.hours;
import static io.fraudcep.sampledata.fuzz.RefEvents.min;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.alert;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.alerts;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.change;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.deposit;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.failure;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.payeeAdded;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.shippedRuleFile;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.success;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.transferIn;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.transferOut;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The four example rules of rules/rules-examples.yaml, enabled, on small logs. */
class ExampleRulesTest {

    private static final RuleSet EXAMPLES =
            RuleFiles.parse(
                    shippedRuleFile("rules-examples.yaml")
                            .replace("mode: disabled", "mode: active"),
                    "rules-examples.yaml");

    private static List<String> alertsOf(String ruleId, UserEvent... events) {
        return alerts(EXAMPLES, events).stream().filter(a -> a.startsWith(ruleId + " ")).toList();
    }

    @Test
    void theFourExamplesAreEvaluatedOnceEnabled() {
        assertThat(EXAMPLES.evaluatedRules())
                .extracting(r -> r.id())
                .containsExactly(
                        "CREDENTIAL_STUFFING",
                        "UNREMEDIATED_TAKEOVER",
                        "MULE_THIN_FILE",
                        "NEW_DEVICE_PAYEE");
    }

    @Nested
    class CredentialStuffing {

        private static final String ID = "CREDENTIAL_STUFFING";

        @Test
        void failuresFromThreeDevicesThenASuccess() {
            assertThat(
                            alertsOf(
                                    ID,
                                    failure("f1", min(0), "a"),
                                    failure("f2", min(1), "b"),
                                    failure("f3", min(2), "a"),
                                    failure("f4", min(3), "c"),
                                    success("s", min(4), "a")))
                    .containsExactly(alert(ID, min(4), "f1", "f2", "f3", "f4", "s"));
        }

        @Test
        void threeFailuresFromTwoDevicesAreNotEnough() {
            assertThat(
                            alertsOf(
                                    ID,
                                    failure("f1", min(0), "a"),
                                    failure("f2", min(1), "b"),
                                    failure("f3", min(2), "a"),
                                    success("s", min(4), "a")))
                    .isEmpty();
        }

        @Test
        void theThirdDeviceExactlyTenMinutesBeforeTheSuccessIsOutOfTheWindow() {
            assertThat(
                            alertsOf(
                                    ID,
                                    failure("f1", min(0), "c"),
                                    failure("f2", min(5), "a"),
                                    failure("f3", min(6), "b"),
                                    success("s", min(10), "a")))
                    .isEmpty();
        }
    }

    @Nested
    class UnremediatedTakeover {

        private static final String ID = "UNREMEDIATED_TAKEOVER";

        private List<String> withOwnerHistory(UserEvent... events) {
            List<UserEvent> log = new ArrayList<>(List.of(success("home", days(-1), "d0")));
            log.addAll(List.of(events));
            return alertsOf(ID, log.toArray(UserEvent[]::new));
        }

        @Test
        void firesAnHourAfterMfaIsDisabledWhenTheOwnerDoesNotComeBack() {
            assertThat(
                            withOwnerHistory(
                                    success("l", min(0), "d9"),
                                    change("m", min(5), EventType.MFA_DISABLED)))
                    .containsExactly(alert(ID, min(65), "l", "m"));
        }

        @Test
        void aLoginFromAKnownDeviceWithinTheHourRemediatesIt() {
            assertThat(
                            withOwnerHistory(
                                    success("l", min(0), "d9"),
                                    change("m", min(5), EventType.MFA_DISABLED),
                                    success("owner", min(65), "d0")))
                    .isEmpty();
        }

        @Test
        void aLoginFromAnotherNewDeviceDoesNot() {
            assertThat(
                            withOwnerHistory(
                                    success("l", min(0), "d9"),
                                    change("m", min(5), EventType.MFA_DISABLED),
                                    success("other", min(30), "d8")))
                    .containsExactly(alert(ID, min(65), "l", "m"));
        }

        @Test
        void aFirstLoginEverIsNotFromANewDevice() {
            assertThat(
                            alertsOf(
                                    ID,
                                    success("l", min(0), "d9"),
                                    change("m", min(5), EventType.MFA_DISABLED)))
                    .isEmpty();
        }

        @Test
        void loginAndMfaChangeAnHourApartAreOutOfTheWindow() {
            assertThat(
                            withOwnerHistory(
                                    success("l", min(0), "d9"),
                                    change("m", hours(1), EventType.MFA_DISABLED)))
                    .isEmpty();
        }
    }

    @Nested
    class MuleThinFile {

        private static final String ID = "MULE_THIN_FILE";

        private List<String> afterDeposits(int earlier, UserEvent... events) {
            List<UserEvent> log = new ArrayList<>();
            for (int i = 0; i < earlier; i++) {
                log.add(deposit("old" + i, days(-10).plus(min(i)), "10.00"));
            }
            log.addAll(List.of(events));
            return alertsOf(ID, log.toArray(UserEvent[]::new));
        }

        @Test
        void anAccountWithNineEarlierEventsIsThin() {
            assertThat(
                            afterDeposits(
                                    9,
                                    transferIn("in", min(0), "2000.00"),
                                    transferOut("o1", min(10), "1000.00"),
                                    withdrawal("o2", min(20), "600.00")))
                    .containsExactly(alert(ID, min(20), "in", "o1", "o2"));
        }

        @Test
        void anAccountWithTenEarlierEventsIsNot() {
            assertThat(
                            afterDeposits(
                                    10,
                                    transferIn("in", min(0), "2000.00"),
                                    transferOut("o1", min(10), "1600.00")))
                    .isEmpty();
        }
    }

    @Nested
    class NewDevicePayee {

        private static final String ID = "NEW_DEVICE_PAYEE";

        @Test
        void aPayeeAddedRightAfterALoginFromANewDevice() {
            assertThat(
                            alertsOf(
                                    ID,
                                    success("home", days(-1), "d0"),
                                    success("l", min(0), "d9"),
                                    payeeAdded("p", min(1), "x")))
                    .containsExactly(alert(ID, min(1), "l", "p"));
        }

        @Test
        void anyActionBetweenBreaksIt() {
            assertThat(
                            alertsOf(
                                    ID,
                                    success("home", days(-1), "d0"),
                                    success("l", min(0), "d9"),
                                    deposit("d", min(1), "1.00"),
                                    payeeAdded("p", min(2), "x")))
                    .isEmpty();
        }

        @Test
        void fiveMinutesLaterIsTooLate() {
            assertThat(
                            alertsOf(
                                    ID,
                                    success("home", days(-1), "d0"),
                                    success("l", min(0), "d9"),
                                    payeeAdded("p", min(5), "x")))
                    .isEmpty();
            assertThat(
                            alertsOf(
                                    ID,
                                    success("home", days(-1), "d0"),
                                    success("l", min(0), "d9"),
                                    payeeAdded("p", min(5).minusNanos(1), "x")))
                    .containsExactly(alert(ID, min(5).minusNanos(1), "l", "p"));
        }
    }
}
