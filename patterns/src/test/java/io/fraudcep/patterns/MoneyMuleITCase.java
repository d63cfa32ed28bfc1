package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.hours;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferIn;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static io.fraudcep.patterns.TestEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MONEY_MULE end to end: a TRANSFER_IN of A >= 2000.00, then TRANSFER_OUT and/or WITHDRAWAL whose
 * running total reaches at least 80% of A, the event that reaches it less than 2 h after the
 * TRANSFER_IN. Every case is one user of one shared log.
 */
class MoneyMuleITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "MONEY_MULE";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String EIGHTY = "mm-eighty";
    private static final String SEVENTY_NINE = "mm-seventy-nine";
    private static final String CENT_SHORT = "mm-cent-short";
    private static final String IN_BELOW = "mm-in-below";
    private static final String IN_MIN = "mm-in-min";
    private static final String INSIDE = "mm-inside";
    private static final String EXACT = "mm-exact";
    private static final String CARD = "mm-card";
    private static final String OUT_FIRST = "mm-out-first";
    private static final String TWO_IN = "mm-two-in";
    private static final String INTERLEAVED = "mm-interleaved";
    private static final String MIX_A = "mm-mix-a";
    private static final String MIX_B = "mm-mix-b";
    private static final String LATE = "mm-late";
    private static final String AGAIN = "mm-again";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // 2500.00 in, 1000.00 transferred and 1000.00 withdrawn: exactly 80.00%.
        s.add(
                transferIn(EIGHTY, "in", at(min(0)), "2500.00", "acct-src"),
                transferOut(EIGHTY, "out", at(min(10)), "1000.00", "acct-x"),
                withdrawal(EIGHTY, "cash", at(min(20)), "1000.00"));
        // 79%, and one cent short of 80%.
        s.add(
                transferIn(SEVENTY_NINE, "in", at(min(0)), "2500.00", "acct-src"),
                transferOut(SEVENTY_NINE, "out", at(min(10)), "1975.00", "acct-x"));
        s.add(
                transferIn(CENT_SHORT, "in", at(min(0)), "2500.00", "acct-src"),
                transferOut(CENT_SHORT, "out", at(min(10)), "1999.99", "acct-x"));
        // The transfer in is one cent below 2000.00, or exactly 2000.00.
        s.add(
                transferIn(IN_BELOW, "in", at(min(0)), "1999.99", "acct-src"),
                transferOut(IN_BELOW, "out", at(min(10)), "1999.99", "acct-x"));
        s.add(
                transferIn(IN_MIN, "in", at(min(0)), "2000.00", "acct-src"),
                transferOut(IN_MIN, "out", at(min(10)), "1600.00", "acct-x"));
        // The outflow that reaches 80% 1 ms less than the window after the transfer in, and
        // exactly the window after.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(
                    transferIn(user, "in", at(min(0)), "2500.00", "acct-src"),
                    transferOut(user, "out1", at(min(30)), "1000.00", "acct-x"));
        }
        s.add(transferOut(INSIDE, "out2", at(hours(2).minus(ms(1))), "1000.00", "acct-x"));
        s.add(transferOut(EXACT, "out2", at(hours(2)), "1000.00", "acct-x"));
        // A card payment is no outflow for this pattern.
        s.add(
                transferIn(CARD, "in", at(min(0)), "2500.00", "acct-src"),
                cardPayment(CARD, "pay", at(min(10)), "2000.00"));
        // Money that left before the transfer in does not count.
        s.add(
                transferOut(OUT_FIRST, "out1", at(min(0)), "1000.00", "acct-x"),
                transferIn(OUT_FIRST, "in", at(min(10)), "2500.00", "acct-src"),
                transferOut(OUT_FIRST, "out2", at(min(20)), "1000.00", "acct-x"));
        // Two transfers in: only the second is 80% passed on.
        s.add(
                transferIn(TWO_IN, "in1", at(min(0)), "10000.00", "acct-src"),
                transferIn(TWO_IN, "in2", at(min(10)), "2500.00", "acct-src"),
                transferOut(TWO_IN, "out", at(min(20)), "2000.00", "acct-x"));
        // Unrelated events of the user between, a small transfer in included.
        s.add(
                transferIn(INTERLEAVED, "in", at(min(0)), "3000.00", "acct-src"),
                loginSuccess(INTERLEAVED, "login", at(min(5)), "d-1"),
                cardPayment(INTERLEAVED, "pay", at(min(10)), "500.00"),
                deposit(INTERLEAVED, "dep", at(min(15)), "100.00"),
                transferOut(INTERLEAVED, "out", at(min(20)), "1200.00", "acct-x"),
                transferIn(INTERLEAVED, "small-in", at(min(25)), "500.00", "acct-y"),
                withdrawal(INTERLEAVED, "cash", at(min(30)), "1200.00"));
        // One user receives, another passes money on.
        s.add(
                transferIn(MIX_A, "in", at(min(0)), "2500.00", "acct-src"),
                transferOut(MIX_B, "out", at(min(10)), "2000.00", "acct-x"));
        // Out of order: the transfer in arrives after the outflow.
        s.add(transferOut(LATE, "out", at(sec(2)), "2000.00", "acct-x"));
        s.addDelayed(sec(3), transferIn(LATE, "in", at(sec(0)), "2500.00", "acct-src"));
        // Alert at 10 min; a second pass-through at 40 min is suppressed; a third at 2 h 45 min
        // alerts, with only its own transfer in and outflow in its window.
        s.add(
                transferIn(AGAIN, "in1", at(min(0)), "2500.00", "acct-src"),
                transferOut(AGAIN, "out1", at(min(10)), "2000.00", "acct-x"),
                transferIn(AGAIN, "in2", at(min(30)), "3000.00", "acct-src"),
                transferOut(AGAIN, "out2", at(min(40)), "2400.00", "acct-x"),
                transferIn(AGAIN, "in3", at(min(161)), "3000.00", "acct-src"),
                transferOut(AGAIN, "out3", at(min(165)), "2400.00", "acct-x"));
        return s;
    }

    @Test
    void passingOnExactlyEightyPercentAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(EIGHTY);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                EIGHTY,
                T0,
                at(min(20)),
                ids(EIGHTY, "in", "out", "cash"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("in.amount", "2500.00")
                .containsEntry("sum(out.amount)", "2000.00")
                .containsEntry("count(out)", "2")
                .containsEntry("spanSeconds", "1200");
    }

    @Test
    void passingOnSeventyNinePercentDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(SEVENTY_NINE)).isEmpty();
    }

    @Test
    void passingOnOneCentLessThanEightyPercentDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(CENT_SHORT)).isEmpty();
    }

    @Test
    void transferInOfOneCentLessThanTwoThousandDoesNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(IN_BELOW)).isEmpty();
    }

    @Test
    void transferInOfExactlyTwoThousandCounts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(IN_MIN);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, IN_MIN, T0, at(min(10)), ids(IN_MIN, "in", "out"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("in.amount", "2000.00")
                .containsEntry("sum(out.amount)", "1600.00");
    }

    @Test
    void outflowReachingEightyPercentOneMillisecondLessThanTheWindowAfterAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INSIDE,
                T0,
                at(hours(2).minus(ms(1))),
                ids(INSIDE, "in", "out1", "out2"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "7199");
    }

    @Test
    void outflowReachingEightyPercentExactlyTheWindowAfterDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void cardPaymentIsNoOutflow() throws Exception {
        assertThat(SCENARIO.alertsOf(CARD)).isEmpty();
    }

    @Test
    void outflowBeforeTheTransferInDoesNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(OUT_FIRST)).isEmpty();
    }

    @Test
    void transferInThatIsPassedOnIsTheOneMatched() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(TWO_IN);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                TWO_IN,
                at(min(10)),
                at(min(20)),
                ids(TWO_IN, "in2", "out"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("in.amount", "2500.00")
                .containsEntry("sum(out.amount)", "2000.00");
    }

    @Test
    void unrelatedEventsOfTheUserBetweenNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INTERLEAVED,
                T0,
                at(min(30)),
                ids(INTERLEAVED, "in", "out", "cash"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("sum(out.amount)", "2400.00")
                .containsEntry("count(out)", "2");
    }

    @Test
    void outflowsOfAnotherUserDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void transferInArrivingAfterTheOutflowWithinTheBoundMatchesInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, LATE, T0, at(sec(2)), ids(LATE, "in", "out"));
    }

    @Test
    void secondPassThroughInsideTheSuppressionWindowIsSuppressedAndOneAfterItAlerts()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                T0,
                at(min(10)),
                ids(AGAIN, "in1", "out1"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                at(min(161)),
                at(min(165)),
                ids(AGAIN, "in3", "out3"));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        EIGHTY, IN_MIN, INSIDE, TWO_IN, INTERLEAVED, LATE, AGAIN, AGAIN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }
}
