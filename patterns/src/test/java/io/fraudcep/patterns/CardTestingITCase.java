package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferIn;
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
 * CARD_TESTING end to end: at least 3 CARD_PAYMENT each below 5.00, then a CARD_PAYMENT of at least
 * 500.00; the first small payment and the large one less than 15 min apart. Every case is one user
 * of one shared log.
 */
class CardTestingITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "CARD_TESTING";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String BASIC = "ct-basic";
    private static final String TWO_SMALL = "ct-two-small";
    private static final String FIVE_NOT_SMALL = "ct-five-not-small";
    private static final String LARGE_BELOW = "ct-large-below";
    private static final String TRANSFER_LARGE = "ct-transfer-large";
    private static final String FOUR_SMALL = "ct-four-small";
    private static final String INSIDE = "ct-inside";
    private static final String EXACT = "ct-exact";
    private static final String INTERLEAVED = "ct-interleaved";
    private static final String MIX_A = "ct-mix-a";
    private static final String MIX_B = "ct-mix-b";
    private static final String LATE = "ct-late";
    private static final String AGAIN = "ct-again";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // Three small payments a minute apart, the largest 4.99, then exactly 500.00.
        s.add(
                cardPayment(BASIC, "s1", at(min(0)), "4.99"),
                cardPayment(BASIC, "s2", at(min(1)), "1.00"),
                cardPayment(BASIC, "s3", at(min(2)), "2.50"),
                cardPayment(BASIC, "big", at(min(3)), "500.00"));
        s.add(
                cardPayment(TWO_SMALL, "s1", at(min(0)), "1.00"),
                cardPayment(TWO_SMALL, "s2", at(min(1)), "1.00"),
                cardPayment(TWO_SMALL, "big", at(min(3)), "900.00"));
        // 5.00 is not small: only two small payments.
        s.add(
                cardPayment(FIVE_NOT_SMALL, "s1", at(min(0)), "4.99"),
                cardPayment(FIVE_NOT_SMALL, "s2", at(min(1)), "5.00"),
                cardPayment(FIVE_NOT_SMALL, "s3", at(min(2)), "1.00"),
                cardPayment(FIVE_NOT_SMALL, "big", at(min(3)), "900.00"));
        s.add(
                cardPayment(LARGE_BELOW, "s1", at(min(0)), "1.00"),
                cardPayment(LARGE_BELOW, "s2", at(min(1)), "1.00"),
                cardPayment(LARGE_BELOW, "s3", at(min(2)), "1.00"),
                cardPayment(LARGE_BELOW, "big", at(min(3)), "499.99"));
        // The large amount leaves by transfer, not by card.
        s.add(
                cardPayment(TRANSFER_LARGE, "s1", at(min(0)), "1.00"),
                cardPayment(TRANSFER_LARGE, "s2", at(min(1)), "1.00"),
                cardPayment(TRANSFER_LARGE, "s3", at(min(2)), "1.00"),
                transferOut(TRANSFER_LARGE, "big", at(min(3)), "900.00", "acct-x"));
        s.add(
                cardPayment(FOUR_SMALL, "s1", at(min(0)), "0.50"),
                cardPayment(FOUR_SMALL, "s2", at(min(1)), "0.60"),
                cardPayment(FOUR_SMALL, "s3", at(min(2)), "0.70"),
                cardPayment(FOUR_SMALL, "s4", at(min(3)), "0.80"),
                cardPayment(FOUR_SMALL, "big", at(min(4)), "750.00"));
        // First small payment and the large one 1 ms less than the window apart, and exactly.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(
                    cardPayment(user, "s1", at(min(0)), "1.00"),
                    cardPayment(user, "s2", at(min(1)), "1.00"),
                    cardPayment(user, "s3", at(min(2)), "1.00"));
        }
        s.add(cardPayment(INSIDE, "big", at(min(15).minus(ms(1))), "500.00"));
        s.add(cardPayment(EXACT, "big", at(min(15)), "500.00"));
        // Unrelated events of the user between the payments.
        s.add(
                cardPayment(INTERLEAVED, "s1", at(sec(0)), "3.00"),
                loginSuccess(INTERLEAVED, "login", at(sec(10)), "d-1"),
                cardPayment(INTERLEAVED, "s2", at(sec(20)), "3.00"),
                transferOut(INTERLEAVED, "out", at(sec(30)), "900.00", "acct-x"),
                cardPayment(INTERLEAVED, "s3", at(sec(40)), "3.00"),
                deposit(INTERLEAVED, "dep", at(sec(50)), "2.00"),
                transferIn(INTERLEAVED, "in", at(sec(55)), "900.00", "acct-y"),
                cardPayment(INTERLEAVED, "big", at(sec(60)), "1200.00"));
        // Two users' small payments interleave; only one makes a large payment.
        s.add(
                cardPayment(MIX_A, "s1", at(sec(0)), "1.00"),
                cardPayment(MIX_B, "s1", at(sec(10)), "1.00"),
                cardPayment(MIX_A, "s2", at(sec(20)), "1.00"),
                cardPayment(MIX_B, "s2", at(sec(30)), "1.00"),
                cardPayment(MIX_A, "big", at(sec(40)), "800.00"));
        // Out of order: s1 arrives after s2, s3 after the large payment.
        s.add(cardPayment(LATE, "s2", at(sec(1)), "1.00"));
        s.addDelayed(sec(3), cardPayment(LATE, "s1", at(sec(0)), "1.00"));
        s.addDelayed(sec(2), cardPayment(LATE, "s3", at(sec(2)), "1.00"));
        s.add(cardPayment(LATE, "big", at(sec(3)), "500.00"));
        // Alert at 3 min; a second test at 8 min is suppressed; a third at 27 min alerts.
        s.add(
                cardPayment(AGAIN, "a1", at(min(0)), "1.00"),
                cardPayment(AGAIN, "a2", at(min(1)), "1.00"),
                cardPayment(AGAIN, "a3", at(min(2)), "1.00"),
                cardPayment(AGAIN, "big1", at(min(3)), "500.00"),
                cardPayment(AGAIN, "b1", at(min(5)), "1.00"),
                cardPayment(AGAIN, "b2", at(min(6)), "1.00"),
                cardPayment(AGAIN, "b3", at(min(7)), "1.00"),
                cardPayment(AGAIN, "big2", at(min(8)), "500.00"),
                cardPayment(AGAIN, "c1", at(min(24)), "1.00"),
                cardPayment(AGAIN, "c2", at(min(25)), "1.00"),
                cardPayment(AGAIN, "c3", at(min(26)), "1.00"),
                cardPayment(AGAIN, "big3", at(min(27)), "500.00"));
        return s;
    }

    @Test
    void threePaymentsBelowFiveThenOneOfFiveHundredAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BASIC);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                BASIC,
                T0,
                at(min(3)),
                ids(BASIC, "s1", "s2", "s3", "big"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("count(small)", "3")
                .containsEntry("sum(small.amount)", "8.49")
                .containsEntry("large.amount", "500.00")
                .containsEntry("large.cardId", "card-" + BASIC)
                .containsEntry("spanSeconds", "180");
    }

    @Test
    void twoSmallPaymentsThenALargeOneDoNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(TWO_SMALL)).isEmpty();
    }

    @Test
    void paymentOfExactlyFiveIsNotSmall() throws Exception {
        assertThat(SCENARIO.alertsOf(FIVE_NOT_SMALL)).isEmpty();
    }

    @Test
    void largePaymentOfOneCentLessThanFiveHundredDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(LARGE_BELOW)).isEmpty();
    }

    @Test
    void largeTransferIsNoLargeCardPayment() throws Exception {
        assertThat(SCENARIO.alertsOf(TRANSFER_LARGE)).isEmpty();
    }

    @Test
    void everySmallPaymentBeforeTheLargeOneBelongsToTheAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(FOUR_SMALL);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                FOUR_SMALL,
                T0,
                at(min(4)),
                ids(FOUR_SMALL, "s1", "s2", "s3", "s4", "big"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("count(small)", "4")
                .containsEntry("sum(small.amount)", "2.60")
                .containsEntry("large.amount", "750.00");
    }

    @Test
    void largePaymentOneMillisecondLessThanTheWindowAfterTheFirstSmallOneAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INSIDE,
                T0,
                at(min(15).minus(ms(1))),
                ids(INSIDE, "s1", "s2", "s3", "big"));
    }

    @Test
    void largePaymentExactlyTheWindowAfterTheFirstSmallOneDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void unrelatedEventsOfTheUserBetweenThePaymentsNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INTERLEAVED,
                T0,
                at(sec(60)),
                ids(INTERLEAVED, "s1", "s2", "s3", "big"));
    }

    @Test
    void smallPaymentsOfOtherUsersDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void paymentsArrivingOutOfOrderWithinTheBoundMatchInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                LATE,
                T0,
                at(sec(3)),
                ids(LATE, "s1", "s2", "s3", "big"));
    }

    @Test
    void secondTestInsideTheSuppressionWindowIsSuppressedAndOneAfterItAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                T0,
                at(min(3)),
                ids(AGAIN, "a1", "a2", "a3", "big1"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                at(min(24)),
                at(min(27)),
                ids(AGAIN, "c1", "c2", "c3", "big3"));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        BASIC, FOUR_SMALL, INSIDE, INTERLEAVED, LATE, AGAIN, AGAIN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void largePaymentInsideTheWindowAlertsWhenTheWatermarkAdvancesEventByEvent() throws Exception {
        // A login 3 s before the first small payment reaches the detection together with it; the
        // large payment follows the first small one by 14 min 58 s.
        String user = "ct-stepwise";
        List<UserEvent> log =
                List.of(
                        loginSuccess(user, "login", at(sec(-3)), "d-1"),
                        cardPayment(user, "s1", at(sec(0)), "1.00"),
                        cardPayment(user, "s2", at(min(1)), "1.00"),
                        cardPayment(user, "s3", at(min(2)), "1.00"),
                        cardPayment(user, "big", at(sec(898)), "500.00"));

        List<Alert> alerts = StepwiseWatermarks.run(log, CATALOGUE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                user,
                T0,
                at(sec(898)),
                ids(user, "s1", "s2", "s3", "big"));
    }
}
