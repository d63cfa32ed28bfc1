package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.change;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.deviceRegistered;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginFailure;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BRUTE_FORCE_LOGIN end to end (enrichment, pattern, suppression): at least 5 LOGIN_FAILURE then a
 * LOGIN_SUCCESS, the first of those failures and the success less than 10 min apart. Every case is
 * one user of one shared log.
 */
class BruteForceLoginITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "BRUTE_FORCE_LOGIN";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);
    private static final String DEVICE = "d-home";

    private static final String FIVE = "bf-five";
    private static final String FOUR = "bf-four";
    private static final String SIX = "bf-six";
    private static final String INSIDE = "bf-inside";
    private static final String EXACT = "bf-exact";
    private static final String SLIDE = "bf-slide";
    private static final String INTERLEAVED = "bf-interleaved";
    private static final String MIX_A = "bf-mix-a";
    private static final String MIX_B = "bf-mix-b";
    private static final String LATE = "bf-late";
    private static final String AGAIN = "bf-again";
    private static final String AT_BOUNDARY = "bf-at-boundary";
    private static final String BEFORE_BOUNDARY = "bf-before-boundary";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // Five failures 30 s apart, then the success.
        failures(s, FIVE, "f", Duration.ZERO, sec(30), 5);
        s.add(loginSuccess(FIVE, "ok", at(sec(150)), DEVICE));
        // One failure short.
        failures(s, FOUR, "f", Duration.ZERO, sec(30), 4);
        s.add(loginSuccess(FOUR, "ok", at(sec(150)), DEVICE));
        // Six failures: the alert carries all of them.
        failures(s, SIX, "f", Duration.ZERO, sec(10), 6);
        s.add(loginSuccess(SIX, "ok", at(sec(60)), DEVICE));
        // First failure and success 1 ms less than the window apart, and exactly the window.
        failures(s, INSIDE, "f", Duration.ZERO, min(1), 5);
        s.add(loginSuccess(INSIDE, "ok", at(min(10).minus(ms(1))), DEVICE));
        failures(s, EXACT, "f", Duration.ZERO, min(1), 5);
        s.add(loginSuccess(EXACT, "ok", at(min(10)), DEVICE));
        // Six failures, the first exactly the window before the success: the other five match.
        failures(s, SLIDE, "f", Duration.ZERO, min(1), 6);
        s.add(loginSuccess(SLIDE, "ok", at(min(10)), DEVICE));
        // Unrelated events of the same user between the failures.
        s.add(
                loginFailure(INTERLEAVED, "f1", at(sec(0)), DEVICE),
                cardPayment(INTERLEAVED, "pay", at(sec(5)), "12.34"),
                loginFailure(INTERLEAVED, "f2", at(sec(10)), DEVICE),
                change(INTERLEAVED, "email", at(sec(15)), EventType.EMAIL_CHANGE),
                loginFailure(INTERLEAVED, "f3", at(sec(20)), DEVICE),
                deposit(INTERLEAVED, "dep", at(sec(25)), "100.00"),
                loginFailure(INTERLEAVED, "f4", at(sec(30)), DEVICE),
                deviceRegistered(INTERLEAVED, "reg", at(sec(35)), "d-new"),
                loginFailure(INTERLEAVED, "f5", at(sec(40)), DEVICE),
                transferOut(INTERLEAVED, "out", at(sec(45)), "50.00", "acct-1"),
                loginSuccess(INTERLEAVED, "ok", at(sec(50)), DEVICE));
        // Two users, three failures each, interleaved in time: neither reaches five.
        s.add(
                loginFailure(MIX_A, "f1", at(sec(0)), DEVICE),
                loginFailure(MIX_B, "f1", at(sec(10)), DEVICE),
                loginFailure(MIX_A, "f2", at(sec(20)), DEVICE),
                loginFailure(MIX_B, "f2", at(sec(30)), DEVICE),
                loginFailure(MIX_A, "f3", at(sec(40)), DEVICE),
                loginFailure(MIX_B, "f3", at(sec(50)), DEVICE),
                loginSuccess(MIX_A, "ok", at(sec(60)), DEVICE),
                loginSuccess(MIX_B, "ok", at(sec(70)), DEVICE));
        // Out of order: f1 arrives after f3, f5 after the success.
        s.add(loginFailure(LATE, "f2", at(sec(1)), DEVICE));
        s.add(loginFailure(LATE, "f3", at(sec(2)), DEVICE));
        s.addDelayed(sec(3), loginFailure(LATE, "f1", at(sec(0)), DEVICE));
        s.add(loginFailure(LATE, "f4", at(sec(3)), DEVICE));
        s.add(loginSuccess(LATE, "ok", at(sec(5)), DEVICE));
        s.addDelayed(sec(2), loginFailure(LATE, "f5", at(sec(4)), DEVICE));
        // Alert at 2m30s; a second episode ending at 7m30s is suppressed; a third at 20m30s,
        // whose window holds none of the earlier events, alerts.
        failures(s, AGAIN, "a", Duration.ZERO, sec(30), 5);
        s.add(loginSuccess(AGAIN, "ok1", at(sec(150)), DEVICE));
        failures(s, AGAIN, "b", min(5), sec(30), 5);
        s.add(loginSuccess(AGAIN, "ok2", at(sec(450)), DEVICE));
        failures(s, AGAIN, "c", min(18), sec(30), 5);
        s.add(loginSuccess(AGAIN, "ok3", at(sec(1230)), DEVICE));
        // Alert at 2m30s, then a match exactly 10 min later (alerted) or 1 ms earlier
        // (suppressed); its window (2m30s, 12m30s] holds only the second episode's failures.
        for (String user : List.of(AT_BOUNDARY, BEFORE_BOUNDARY)) {
            failures(s, user, "a", Duration.ZERO, sec(30), 5);
            s.add(loginSuccess(user, "ok1", at(sec(150)), DEVICE));
            s.add(
                    loginFailure(user, "b1", at(sec(151)), DEVICE),
                    loginFailure(user, "b2", at(min(4)), DEVICE),
                    loginFailure(user, "b3", at(min(6)), DEVICE),
                    loginFailure(user, "b4", at(min(8)), DEVICE),
                    loginFailure(user, "b5", at(min(10)), DEVICE));
        }
        s.add(loginSuccess(AT_BOUNDARY, "ok2", at(sec(750)), DEVICE));
        s.add(loginSuccess(BEFORE_BOUNDARY, "ok2", at(sec(750).minus(ms(1))), DEVICE));
        return s;
    }

    /** {@code count} failures named prefix1.., the first at {@code start}, {@code step} apart. */
    private static void failures(
            Scenario s, String user, String prefix, Duration start, Duration step, int count) {
        for (int i = 0; i < count; i++) {
            s.add(
                    loginFailure(
                            user, prefix + (i + 1), at(start.plus(step.multipliedBy(i))), DEVICE));
        }
    }

    @Test
    void fiveFailuresThenASuccessAlertWithTheMatchedLoginsAndTheirCount() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(FIVE);

        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertAlert(
                alert,
                PATTERN,
                Severity.MEDIUM,
                FIVE,
                T0,
                at(sec(150)),
                ids(FIVE, "f1", "f2", "f3", "f4", "f5", "ok"));
        assertThat(Scenario.evidence(alert))
                .containsEntry("count(failures)", "5")
                .containsEntry("success.deviceId", DEVICE)
                .containsEntry("spanSeconds", "150");
        assertThat(alert.patternVersion())
                .isEqualTo(RuleCanonical.patternVersion(CATALOGUE.rule(PATTERN)));
    }

    @Test
    void fourFailuresThenASuccessDoNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(FOUR)).isEmpty();
    }

    @Test
    void moreThanFiveFailuresAllBelongToTheAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(SIX);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                SIX,
                T0,
                at(sec(60)),
                ids(SIX, "f1", "f2", "f3", "f4", "f5", "f6", "ok"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("count(failures)", "6");
    }

    @Test
    void successOneMillisecondLessThanTheWindowAfterTheFirstFailureAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                INSIDE,
                T0,
                at(min(10).minus(ms(1))),
                ids(INSIDE, "f1", "f2", "f3", "f4", "f5", "ok"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "599");
    }

    @Test
    void successExactlyTheWindowAfterTheFirstFailureDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void failureExactlyTheWindowBeforeTheSuccessIsLeftOutOfTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(SLIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                SLIDE,
                at(min(1)),
                at(min(10)),
                ids(SLIDE, "f2", "f3", "f4", "f5", "f6", "ok"));
    }

    @Test
    void unrelatedEventsOfTheUserBetweenTheFailuresNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                INTERLEAVED,
                T0,
                at(sec(50)),
                ids(INTERLEAVED, "f1", "f2", "f3", "f4", "f5", "ok"));
    }

    @Test
    void failuresOfOtherUsersDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void eventsArrivingOutOfOrderWithinTheBoundMatchInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                LATE,
                T0,
                at(sec(5)),
                ids(LATE, "f1", "f2", "f3", "f4", "f5", "ok"));
    }

    @Test
    void secondEpisodeInsideTheSuppressionWindowIsSuppressedAndOneAfterItAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                T0,
                at(sec(150)),
                ids(AGAIN, "a1", "a2", "a3", "a4", "a5", "ok1"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                at(min(18)),
                at(sec(1230)),
                ids(AGAIN, "c1", "c2", "c3", "c4", "c5", "ok3"));
    }

    @Test
    void matchExactlyTheWindowAfterTheLastAlertAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AT_BOUNDARY);

        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).detectedAt()).isEqualTo(at(sec(150)));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.MEDIUM,
                AT_BOUNDARY,
                at(sec(151)),
                at(sec(750)),
                ids(AT_BOUNDARY, "b1", "b2", "b3", "b4", "b5", "ok2"));
    }

    @Test
    void matchOneMillisecondLessThanTheWindowAfterTheLastAlertIsSuppressed() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BEFORE_BOUNDARY);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).detectedAt()).isEqualTo(at(sec(150)));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        FIVE,
                        SIX,
                        INSIDE,
                        SLIDE,
                        INTERLEAVED,
                        LATE,
                        AGAIN,
                        AGAIN,
                        AT_BOUNDARY,
                        AT_BOUNDARY,
                        BEFORE_BOUNDARY);
        assertThat(SCENARIO.alerts()).extracting(Alert::patternId).containsOnly(PATTERN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void successLessThanTheWindowAfterTheFirstFailureAlertsWhenTheWatermarkAdvancesEventByEvent()
            throws Exception {
        // The card payment 3 s before the first failure reaches the detection together with it
        // once the watermark passes both; the success comes 9 min 58 s after the first failure.
        String user = "bf-stepwise";
        List<UserEvent> log =
                List.of(
                        cardPayment(user, "pay", at(sec(-3)), "12.34"),
                        loginFailure(user, "f1", at(sec(0)), DEVICE),
                        loginFailure(user, "f2", at(min(1)), DEVICE),
                        loginFailure(user, "f3", at(min(2)), DEVICE),
                        loginFailure(user, "f4", at(min(3)), DEVICE),
                        loginFailure(user, "f5", at(min(4)), DEVICE),
                        loginSuccess(user, "ok", at(sec(598)), DEVICE));

        List<Alert> alerts = StepwiseWatermarks.run(log, CATALOGUE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                user,
                T0,
                at(sec(598)),
                ids(user, "f1", "f2", "f3", "f4", "f5", "ok"));
    }
}
