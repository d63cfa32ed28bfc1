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
import static io.fraudcep.patterns.TestEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VELOCITY end to end: at least 10 outgoing transactions (CARD_PAYMENT, TRANSFER_OUT, WITHDRAWAL),
 * the first and the tenth less than 5 min apart. Every case is one user of one log; the suppression
 * example of alerts.md has its own test, {@link SuppressionITCase}.
 */
class VelocityITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "VELOCITY";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String TEN = "vel-ten";
    private static final String NINE = "vel-nine";
    private static final String INCOMING = "vel-incoming";
    private static final String INSIDE = "vel-inside";
    private static final String EXACT = "vel-exact";
    private static final String INTERLEAVED = "vel-interleaved";
    private static final String MIX_A = "vel-mix-a";
    private static final String MIX_B = "vel-mix-b";
    private static final String LATE = "vel-late";
    private static final String AGAIN = "vel-again";
    private static final String AGAIN_EARLY = "vel-again-early";

    private static final String[] P = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"};

    private static final Scenario SCENARIO = scenario();

    /** The i-th outgoing transaction of 10.00, cycling through the three outgoing types. */
    private static UserEvent outgoing(String user, String name, Instant t, int i) {
        switch (i % 3) {
            case 0:
                return cardPayment(user, name, t, "10.00");
            case 1:
                return transferOut(user, name, t, "10.00", "acct-x");
            default:
                return withdrawal(user, name, t, "10.00");
        }
    }

    /**
     * {@code count} outgoing transactions named prefix0.., from {@code start}, {@code step} apart.
     */
    private static void burst(
            Scenario s, String user, String prefix, Duration start, Duration step, int count) {
        for (int i = 0; i < count; i++) {
            s.add(outgoing(user, prefix + i, at(start.plus(step.multipliedBy(i))), i));
        }
    }

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // Ten outgoing transactions 10 s apart, nine, and nine plus two incoming ones.
        burst(s, TEN, "p", Duration.ZERO, sec(10), 10);
        burst(s, NINE, "p", Duration.ZERO, sec(10), 9);
        burst(s, INCOMING, "p", Duration.ZERO, sec(10), 9);
        s.add(
                transferIn(INCOMING, "in", at(sec(95)), "10.00", "acct-y"),
                deposit(INCOMING, "dep", at(sec(100)), "10.00"));
        // First and tenth 1 ms less than the window apart, and exactly the window.
        burst(s, INSIDE, "p", Duration.ZERO, sec(30), 9);
        s.add(outgoing(INSIDE, "p9", at(min(5).minus(ms(1))), 9));
        burst(s, EXACT, "p", Duration.ZERO, sec(30), 9);
        s.add(outgoing(EXACT, "p9", at(min(5)), 9));
        // Unrelated events of the user between the transactions.
        for (int i = 0; i < 10; i++) {
            s.add(outgoing(INTERLEAVED, P[i], at(sec(10 * i)), i));
            if (i % 3 == 0) {
                s.add(loginSuccess(INTERLEAVED, "login" + i, at(sec(10 * i + 3)), "d-1"));
            } else if (i % 3 == 1) {
                s.add(deposit(INTERLEAVED, "dep" + i, at(sec(10 * i + 3)), "5.00"));
            } else {
                s.add(transferIn(INTERLEAVED, "in" + i, at(sec(10 * i + 3)), "5.00", "acct-y"));
            }
        }
        // Two users, five transactions each, interleaved in time.
        for (int i = 0; i < 5; i++) {
            s.add(outgoing(MIX_A, P[i], at(sec(20 * i)), i));
            s.add(outgoing(MIX_B, P[i], at(sec(20 * i + 10)), i));
        }
        // Out of order: p0 arrives after p3, p5 after p7, p8 after p9.
        for (int i = 0; i < 10; i++) {
            UserEvent e = outgoing(LATE, P[i], at(sec(i)), i);
            if (i == 0) {
                s.addDelayed(sec(3), e);
            } else if (i == 5 || i == 8) {
                s.addDelayed(sec(2), e);
            } else {
                s.add(e);
            }
        }
        // Alert at 90 s; the second burst triggers from 300 s on and alerts at 390 s, exactly
        // the window after, on its own ten; 1 ms earlier it is still suppressed.
        burst(s, AGAIN, "a", Duration.ZERO, sec(10), 10);
        burst(s, AGAIN, "b", sec(300), sec(10), 10);
        burst(s, AGAIN_EARLY, "a", Duration.ZERO, sec(10), 10);
        burst(s, AGAIN_EARLY, "b", sec(300).minus(ms(1)), sec(10), 10);
        return s;
    }

    @Test
    void tenOutgoingTransactionsWithinFiveMinutesAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(TEN);

        assertThat(alerts).hasSize(1);
        assertAlert(alerts.get(0), PATTERN, Severity.MEDIUM, TEN, T0, at(sec(90)), ids(TEN, P));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("count(outgoing)", "10")
                .containsEntry("sum(outgoing.amount)", "100.00")
                .containsEntry("spanSeconds", "90");
    }

    @Test
    void nineOutgoingTransactionsDoNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(NINE)).isEmpty();
    }

    @Test
    void incomingTransactionsDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(INCOMING)).isEmpty();
    }

    @Test
    void tenthTransactionOneMillisecondLessThanTheWindowAfterTheFirstAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                INSIDE,
                T0,
                at(min(5).minus(ms(1))),
                ids(INSIDE, P));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "299");
    }

    @Test
    void tenthTransactionExactlyTheWindowAfterTheFirstDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void unrelatedEventsOfTheUserBetweenTheTransactionsNeitherBreakNorJoinTheMatch()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                INTERLEAVED,
                T0,
                at(sec(90)),
                ids(INTERLEAVED, P));
    }

    @Test
    void transactionsOfOtherUsersDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void transactionsArrivingOutOfOrderWithinTheBoundCountInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertThat(alerts).hasSize(1);
        assertAlert(alerts.get(0), PATTERN, Severity.MEDIUM, LATE, T0, at(sec(9)), ids(LATE, P));
    }

    @Test
    void burstInsideTheSuppressionWindowIsSuppressedAndAlertsExactlyTheWindowAfter()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                T0,
                at(sec(90)),
                ids(AGAIN, "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                at(sec(300)),
                at(sec(390)),
                ids(AGAIN, "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"));
    }

    @Test
    void burstEndingOneMillisecondLessThanTheWindowAfterTheLastAlertIsSuppressed()
            throws Exception {
        assertThat(SCENARIO.alertsOf(AGAIN_EARLY))
                .extracting(Alert::detectedAt)
                .containsExactly(at(sec(90)));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        TEN, INSIDE, INTERLEAVED, LATE, AGAIN, AGAIN, AGAIN_EARLY);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }
}
