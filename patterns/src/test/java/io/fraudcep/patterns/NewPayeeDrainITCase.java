package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.payeeAdded;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NEW_PAYEE_DRAIN end to end: a PAYEE_ADDED with payee P, then a TRANSFER_OUT to counterparty P of
 * at least 5000.00, less than 10 min after the PAYEE_ADDED. The two events come from two topics.
 * Every case is one user of one shared log.
 */
class NewPayeeDrainITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "NEW_PAYEE_DRAIN";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String BASIC = "npd-basic";
    private static final String BELOW = "npd-below";
    private static final String OTHER_COUNTERPARTY = "npd-other-counterparty";
    private static final String TWO_PAYEES = "npd-two-payees";
    private static final String INSIDE = "npd-inside";
    private static final String EXACT = "npd-exact";
    private static final String TRANSFER_FIRST = "npd-transfer-first";
    private static final String INTERLEAVED = "npd-interleaved";
    private static final String MIX_A = "npd-mix-a";
    private static final String MIX_B = "npd-mix-b";
    private static final String LATE = "npd-late";
    private static final String AGAIN = "npd-again";
    private static final String AGAIN_EARLY = "npd-again-early";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // Payee added, 5000.00 to it 3 min later.
        s.add(
                payeeAdded(BASIC, "add", at(min(0)), "payee-p"),
                transferOut(BASIC, "out", at(min(3)), "5000.00", "payee-p"));
        s.add(
                payeeAdded(BELOW, "add", at(min(0)), "payee-p"),
                transferOut(BELOW, "out", at(min(3)), "4999.99", "payee-p"));
        // The transfer goes to somebody else.
        s.add(
                payeeAdded(OTHER_COUNTERPARTY, "add", at(min(0)), "payee-p"),
                transferOut(OTHER_COUNTERPARTY, "out", at(min(3)), "9000.00", "acct-q"));
        // Two payees added; the transfer goes to the first.
        s.add(
                payeeAdded(TWO_PAYEES, "add-p", at(min(0)), "payee-p"),
                payeeAdded(TWO_PAYEES, "add-q", at(min(1)), "payee-q"),
                transferOut(TWO_PAYEES, "out", at(min(2)), "5000.00", "payee-p"));
        // Transfer 1 ms less than the window after the payee was added, and exactly the window.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(payeeAdded(user, "add", at(min(0)), "payee-p"));
        }
        s.add(transferOut(INSIDE, "out", at(min(10).minus(ms(1))), "5000.00", "payee-p"));
        s.add(transferOut(EXACT, "out", at(min(10)), "5000.00", "payee-p"));
        // The transfer comes before the payee is added.
        s.add(
                transferOut(TRANSFER_FIRST, "out", at(min(0)), "5000.00", "payee-p"),
                payeeAdded(TRANSFER_FIRST, "add", at(min(1)), "payee-p"));
        // Unrelated events between, a small transfer to the payee included.
        s.add(
                payeeAdded(INTERLEAVED, "add", at(min(0)), "payee-p"),
                loginSuccess(INTERLEAVED, "login", at(min(1)), "d-1"),
                transferOut(INTERLEAVED, "small", at(min(2)), "100.00", "payee-p"),
                cardPayment(INTERLEAVED, "pay", at(min(3)), "5000.00"),
                transferOut(INTERLEAVED, "other", at(min(4)), "6000.00", "acct-q"),
                transferOut(INTERLEAVED, "out", at(min(5)), "7000.00", "payee-p"));
        // One user adds the payee, another pays it.
        s.add(
                payeeAdded(MIX_A, "add", at(min(0)), "payee-p"),
                transferOut(MIX_B, "out", at(min(2)), "5000.00", "payee-p"));
        // Out of order: the payee arrives after the transfer.
        s.add(transferOut(LATE, "out", at(sec(2)), "5000.00", "payee-p"));
        s.addDelayed(sec(3), payeeAdded(LATE, "add", at(sec(0)), "payee-p"));
        // Alert at 1 min; a drain at 6 min is suppressed; one at 11 min, exactly the window
        // after the alert, alerts; 1 ms earlier it is still suppressed.
        for (String user : List.of(AGAIN, AGAIN_EARLY)) {
            s.add(
                    payeeAdded(user, "add-p", at(min(0)), "payee-p"),
                    transferOut(user, "out-p", at(min(1)), "5000.00", "payee-p"),
                    payeeAdded(user, "add-q", at(min(5)), "payee-q"),
                    transferOut(user, "out-q", at(min(6)), "5000.00", "payee-q"),
                    payeeAdded(user, "add-r", at(min(10)), "payee-r"));
        }
        s.add(transferOut(AGAIN, "out-r", at(min(11)), "5000.00", "payee-r"));
        s.add(transferOut(AGAIN_EARLY, "out-r", at(min(11).minus(ms(1))), "5000.00", "payee-r"));
        return s;
    }

    @Test
    void transferOfFiveThousandToAPayeeAddedThreeMinutesBeforeAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BASIC);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, BASIC, T0, at(min(3)), ids(BASIC, "add", "out"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("payee.payeeId", "payee-p")
                .containsEntry("transfer.amount", "5000.00")
                .containsEntry("spanSeconds", "180");
    }

    @Test
    void transferOfOneCentLessThanFiveThousandDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(BELOW)).isEmpty();
    }

    @Test
    void transferToAnotherCounterpartyDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(OTHER_COUNTERPARTY)).isEmpty();
    }

    @Test
    void transferMatchesThePayeeItGoesTo() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(TWO_PAYEES);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                TWO_PAYEES,
                T0,
                at(min(2)),
                ids(TWO_PAYEES, "add-p", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("payee.payeeId", "payee-p");
    }

    @Test
    void transferOneMillisecondLessThanTheWindowAfterThePayeeAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INSIDE,
                T0,
                at(min(10).minus(ms(1))),
                ids(INSIDE, "add", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "599");
    }

    @Test
    void transferExactlyTheWindowAfterThePayeeDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void transferBeforeThePayeeWasAddedDoesNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(TRANSFER_FIRST)).isEmpty();
    }

    @Test
    void unrelatedEventsBetweenNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INTERLEAVED,
                T0,
                at(min(5)),
                ids(INTERLEAVED, "add", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("transfer.amount", "7000.00");
    }

    @Test
    void payeeAddedByAnotherUserDoesNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void payeeArrivingAfterTheTransferWithinTheBoundMatchesInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, LATE, T0, at(sec(2)), ids(LATE, "add", "out"));
    }

    @Test
    void drainInsideTheSuppressionWindowIsSuppressedAndOneExactlyTheWindowAfterAlerts()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                T0,
                at(min(1)),
                ids(AGAIN, "add-p", "out-p"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                at(min(10)),
                at(min(11)),
                ids(AGAIN, "add-r", "out-r"));
    }

    @Test
    void drainOneMillisecondLessThanTheWindowAfterTheLastAlertIsSuppressed() throws Exception {
        assertThat(SCENARIO.alertsOf(AGAIN_EARLY))
                .extracting(Alert::detectedAt)
                .containsExactly(at(min(1)));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        BASIC, TWO_PAYEES, INSIDE, INTERLEAVED, LATE, AGAIN, AGAIN, AGAIN_EARLY);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void transferLessThanTheWindowAfterThePayeeAlertsWhenTheWatermarkAdvancesEventByEvent()
            throws Exception {
        // A login 3 s before the payee is added reaches the detection together with it; the
        // transfer follows the payee by 9 min 58 s.
        String user = "npd-stepwise";
        List<UserEvent> log =
                List.of(
                        loginSuccess(user, "login", at(sec(-3)), "d-1"),
                        payeeAdded(user, "add", at(sec(0)), "payee-p"),
                        cardPayment(user, "pay", at(min(1)), "10.00"),
                        transferOut(user, "out", at(sec(598)), "5000.00", "payee-p"));

        List<Alert> alerts = StepwiseWatermarks.run(log, CATALOGUE);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, user, T0, at(sec(598)), ids(user, "add", "out"));
    }
}
