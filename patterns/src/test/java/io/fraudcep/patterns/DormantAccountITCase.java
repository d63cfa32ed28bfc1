package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.change;
import static io.fraudcep.patterns.TestEvents.days;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.hours;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginFailure;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static io.fraudcep.patterns.TestEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
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
 * DORMANT_ACCOUNT end to end: a LOGIN_SUCCESS whose previous accepted event of any type is at least
 * 90 days older, then a TRANSFER_OUT or WITHDRAWAL of at least 1000.00 less than 1 h after that
 * login. The login is at T0 in every case; each case is one user of one shared log.
 */
class DormantAccountITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "DORMANT_ACCOUNT";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    /** 90 days before the login: the last activity of a dormant account. */
    private static final Instant NINETY_DAYS_BEFORE = at(days(-90));

    private static final Duration ONE_SECOND_SHORT_OF_90_DAYS =
            days(89).plus(hours(23)).plus(min(59)).plus(sec(59));

    private static final String BASIC = "da-basic";
    private static final String SHORT = "da-short";
    private static final String BELOW = "da-below";
    private static final String WITHDRAWAL = "da-withdrawal";
    private static final String CARD = "da-card";
    private static final String NO_HISTORY = "da-no-history";
    private static final String INSIDE = "da-inside";
    private static final String EXACT = "da-exact";
    private static final String RECENT_CHANGE = "da-recent-change";
    private static final String FAILURE_FIRST = "da-failure-first";
    private static final String INTERLEAVED = "da-interleaved";
    private static final String MIX_A = "da-mix-a";
    private static final String MIX_B = "da-mix-b";
    private static final String LATE = "da-late";
    private static final String AGAIN = "da-again";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // A deposit exactly 90 days before the login, then 1000.00 out 10 min after it.
        s.add(
                deposit(BASIC, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(BASIC, "login", T0, "d-1"),
                transferOut(BASIC, "out", at(min(10)), "1000.00", "acct-x"));
        // Silent one second less than 90 days.
        s.add(
                deposit(SHORT, "prev", T0.minus(ONE_SECOND_SHORT_OF_90_DAYS), "50.00"),
                loginSuccess(SHORT, "login", T0, "d-1"),
                transferOut(SHORT, "out", at(min(10)), "5000.00", "acct-x"));
        // One cent less than 1000.00; a withdrawal; a card payment.
        s.add(
                deposit(BELOW, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(BELOW, "login", T0, "d-1"),
                transferOut(BELOW, "out", at(min(10)), "999.99", "acct-x"));
        s.add(
                deposit(WITHDRAWAL, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(WITHDRAWAL, "login", T0, "d-1"),
                withdrawal(WITHDRAWAL, "cash", at(min(10)), "1000.00"));
        s.add(
                deposit(CARD, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(CARD, "login", T0, "d-1"),
                cardPayment(CARD, "pay", at(min(10)), "5000.00"));
        // The login is the user's first event: no history, no dormancy.
        s.add(
                loginSuccess(NO_HISTORY, "login", T0, "d-1"),
                transferOut(NO_HISTORY, "out", at(min(10)), "5000.00", "acct-x"));
        // Outflow 1 ms less than the window after the login, and exactly the window after.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(
                    deposit(user, "prev", NINETY_DAYS_BEFORE, "50.00"),
                    loginSuccess(user, "login", T0, "d-1"));
        }
        s.add(transferOut(INSIDE, "out", at(hours(1).minus(ms(1))), "1000.00", "acct-x"));
        s.add(transferOut(EXACT, "out", at(hours(1)), "1000.00", "acct-x"));
        // A password change 30 days ago is activity, though on another topic.
        s.add(
                loginSuccess(RECENT_CHANGE, "old-login", at(days(-100)), "d-1"),
                change(RECENT_CHANGE, "pw", at(days(-30)), EventType.PASSWORD_CHANGE),
                loginSuccess(RECENT_CHANGE, "login", T0, "d-1"),
                transferOut(RECENT_CHANGE, "out", at(min(10)), "5000.00", "acct-x"));
        // A failed login a minute before is an accepted event too: the success is not dormant.
        s.add(
                deposit(FAILURE_FIRST, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginFailure(FAILURE_FIRST, "fail", at(min(-1)), "d-1"),
                loginSuccess(FAILURE_FIRST, "login", T0, "d-1"),
                transferOut(FAILURE_FIRST, "out", at(min(10)), "5000.00", "acct-x"));
        // Unrelated events between the login and the outflow, a small transfer included.
        s.add(
                deposit(INTERLEAVED, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(INTERLEAVED, "login", T0, "d-1"),
                change(INTERLEAVED, "email", at(min(1)), EventType.EMAIL_CHANGE),
                cardPayment(INTERLEAVED, "pay", at(min(2)), "20.00"),
                transferOut(INTERLEAVED, "small", at(min(3)), "10.00", "acct-y"),
                transferOut(INTERLEAVED, "out", at(min(4)), "1500.00", "acct-x"));
        // One user wakes up, another (active yesterday) moves the money.
        s.add(
                deposit(MIX_A, "prev", NINETY_DAYS_BEFORE, "50.00"),
                deposit(MIX_B, "prev", at(days(-1)), "50.00"),
                loginSuccess(MIX_A, "login", T0, "d-1"),
                transferOut(MIX_B, "out", at(min(10)), "5000.00", "acct-x"));
        // Out of order: the login arrives after the outflow.
        s.add(deposit(LATE, "prev", NINETY_DAYS_BEFORE, "50.00"));
        s.add(transferOut(LATE, "out", at(sec(2)), "1000.00", "acct-x"));
        s.addDelayed(sec(3), loginSuccess(LATE, "login", T0, "d-1"));
        // Alert at 10 min; a second outflow at 20 min is suppressed; after 90 more days of
        // silence the account wakes up again and alerts.
        Instant secondLogin = at(min(20)).plus(days(90));
        s.add(
                deposit(AGAIN, "prev", NINETY_DAYS_BEFORE, "50.00"),
                loginSuccess(AGAIN, "login1", T0, "d-1"),
                transferOut(AGAIN, "out1", at(min(10)), "1000.00", "acct-x"),
                withdrawal(AGAIN, "out2", at(min(20)), "1000.00"),
                loginSuccess(AGAIN, "login2", secondLogin, "d-1"),
                transferOut(AGAIN, "out3", secondLogin.plus(min(5)), "1000.00", "acct-x"));
        return s;
    }

    @Test
    void loginAfterNinetyDaysOfSilenceThenATransferOfAThousandAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BASIC);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, BASIC, T0, at(min(10)), ids(BASIC, "login", "out"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry(
                        "login.sincePreviousEvent",
                        Duration.between(NINETY_DAYS_BEFORE, T0).toString())
                .containsEntry("cashOut.type", "TRANSFER_OUT")
                .containsEntry("cashOut.amount", "1000.00")
                .containsEntry("login.deviceId", "d-1");
    }

    @Test
    void silenceOfOneSecondLessThanNinetyDaysIsNotDormancy() throws Exception {
        assertThat(SCENARIO.alertsOf(SHORT)).isEmpty();
    }

    @Test
    void outflowOfOneCentLessThanAThousandDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(BELOW)).isEmpty();
    }

    @Test
    void withdrawalOfAThousandAlertsLikeATransfer() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(WITHDRAWAL);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                WITHDRAWAL,
                T0,
                at(min(10)),
                ids(WITHDRAWAL, "login", "cash"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("cashOut.type", "WITHDRAWAL");
    }

    @Test
    void cardPaymentIsNoOutflowForThisPattern() throws Exception {
        assertThat(SCENARIO.alertsOf(CARD)).isEmpty();
    }

    @Test
    void userWithoutHistoryIsNotDormant() throws Exception {
        assertThat(SCENARIO.alertsOf(NO_HISTORY)).isEmpty();
    }

    @Test
    void outflowOneMillisecondLessThanTheWindowAfterTheLoginAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INSIDE,
                T0,
                at(hours(1).minus(ms(1))),
                ids(INSIDE, "login", "out"));
    }

    @Test
    void outflowExactlyTheWindowAfterTheLoginDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void accountChangeOnAnotherTopicIsActivity() throws Exception {
        assertThat(SCENARIO.alertsOf(RECENT_CHANGE)).isEmpty();
    }

    @Test
    void failedLoginJustBeforeIsActivity() throws Exception {
        assertThat(SCENARIO.alertsOf(FAILURE_FIRST)).isEmpty();
    }

    @Test
    void unrelatedEventsBetweenTheLoginAndTheOutflowNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INTERLEAVED,
                T0,
                at(min(4)),
                ids(INTERLEAVED, "login", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("cashOut.amount", "1500.00");
    }

    @Test
    void outflowOfAnotherUserDoesNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void loginArrivingAfterTheOutflowWithinTheBoundMatchesInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, LATE, T0, at(sec(2)), ids(LATE, "login", "out"));
    }

    @Test
    void secondOutflowInsideTheSuppressionWindowIsSuppressedAndTheNextWakeUpAlerts()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);
        Instant secondLogin = at(min(20)).plus(days(90));

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                T0,
                at(min(10)),
                ids(AGAIN, "login1", "out1"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                secondLogin,
                secondLogin.plus(min(5)),
                ids(AGAIN, "login2", "out3"));
        assertThat(Scenario.evidence(alerts.get(1)))
                .containsEntry(
                        "login.sincePreviousEvent",
                        Duration.between(at(min(20)), secondLogin).toString());
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        BASIC, WITHDRAWAL, INSIDE, INTERLEAVED, LATE, AGAIN, AGAIN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void outflowLessThanTheWindowAfterTheLoginAlertsWhenTheWatermarkAdvancesInSteps()
            throws Exception {
        // A watermark every third event, as in a replay: the last activity and the login reach
        // the detection together; the outflow follows the login by 59 min 58 s.
        String user = "da-stepwise";
        List<UserEvent> log =
                List.of(
                        deposit(user, "prev", NINETY_DAYS_BEFORE, "50.00"),
                        loginSuccess(user, "login", T0, "d-1"),
                        deposit("da-other", "dep", at(sec(10)), "50.00"),
                        transferOut(user, "out", at(sec(3598)), "1000.00", "acct-x"));

        List<Alert> alerts = StepwiseWatermarks.run(log, CATALOGUE, 3);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, user, T0, at(sec(3598)), ids(user, "login", "out"));
    }
}
