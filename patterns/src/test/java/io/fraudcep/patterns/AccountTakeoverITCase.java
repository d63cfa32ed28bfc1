package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.change;
import static io.fraudcep.patterns.TestEvents.days;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.deviceRegistered;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginFailure;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.payeeAdded;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACCOUNT_TAKEOVER end to end: a LOGIN_SUCCESS from a new device, then a credential or contact
 * change, then a TRANSFER_OUT of at least 1000.00; login and transfer less than 30 min apart. The
 * three events come from three topics; the new-device flag comes from the enrichment (an earlier
 * successful login within 180 days, none from this device). Every case is one user of one log.
 */
class AccountTakeoverITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "ACCOUNT_TAKEOVER";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);
    private static final String KNOWN = "d-known";
    private static final String NEW = "d-new";

    private static final String BASIC = "ato-basic";
    private static final String BELOW = "ato-below";
    private static final String KNOWN_DEVICE = "ato-known-device";
    private static final String FIRST_LOGIN = "ato-first-login";
    private static final String STALE_DEVICE = "ato-stale-device";
    private static final String RECENT_DEVICE = "ato-recent-device";
    private static final String ONLY_STALE = "ato-only-stale-login";
    private static final String TRANSFER_FIRST = "ato-transfer-first";
    private static final String CHANGE_FIRST = "ato-change-first";
    private static final String INSIDE = "ato-inside";
    private static final String EXACT = "ato-exact";
    private static final String PHONE = "ato-phone";
    private static final String MFA = "ato-mfa";
    private static final String ADDRESS = "ato-address";
    private static final String PAYEE = "ato-payee";
    private static final String DEVICE_REG = "ato-device-registered";
    private static final String INTERLEAVED = "ato-interleaved";
    private static final String MIX_A = "ato-mix-a";
    private static final String MIX_B = "ato-mix-b";
    private static final String LATE = "ato-late";
    private static final String AGAIN = "ato-again";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // The takeover: known device yesterday, new device now, password, 1000.00 out.
        takeover(s, BASIC, EventType.PASSWORD_CHANGE, "1000.00");
        takeover(s, BELOW, EventType.PASSWORD_CHANGE, "999.99");
        // The login is from the device the user always uses.
        s.add(
                loginSuccess(KNOWN_DEVICE, "hist", at(days(-1)), KNOWN),
                loginSuccess(KNOWN_DEVICE, "login", at(min(0)), KNOWN),
                change(KNOWN_DEVICE, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(KNOWN_DEVICE, "out", at(min(5)), "5000.00", "acct-x"));
        // The user's first login ever is not from a new device.
        s.add(
                loginSuccess(FIRST_LOGIN, "login", at(min(0)), NEW),
                change(FIRST_LOGIN, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(FIRST_LOGIN, "out", at(min(5)), "5000.00", "acct-x"));
        // The device was last used 181 days ago: new again, since another login is recent.
        s.add(
                loginSuccess(STALE_DEVICE, "old", at(days(-181)), NEW),
                loginSuccess(STALE_DEVICE, "hist", at(days(-1)), KNOWN),
                loginSuccess(STALE_DEVICE, "login", at(min(0)), NEW),
                change(STALE_DEVICE, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(STALE_DEVICE, "out", at(min(5)), "1000.00", "acct-x"));
        // The device was used 179 days ago: still known.
        s.add(
                loginSuccess(RECENT_DEVICE, "old", at(days(-179)), NEW),
                loginSuccess(RECENT_DEVICE, "hist", at(days(-1)), KNOWN),
                loginSuccess(RECENT_DEVICE, "login", at(min(0)), NEW),
                change(RECENT_DEVICE, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(RECENT_DEVICE, "out", at(min(5)), "1000.00", "acct-x"));
        // The only earlier login is 181 days old: no login in the look-back, so not new.
        s.add(
                loginSuccess(ONLY_STALE, "old", at(days(-181)), KNOWN),
                loginSuccess(ONLY_STALE, "login", at(min(0)), NEW),
                change(ONLY_STALE, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(ONLY_STALE, "out", at(min(5)), "1000.00", "acct-x"));
        // The transfer comes before the change: the order does not match.
        s.add(
                loginSuccess(TRANSFER_FIRST, "hist", at(days(-1)), KNOWN),
                loginSuccess(TRANSFER_FIRST, "login", at(min(0)), NEW),
                transferOut(TRANSFER_FIRST, "out", at(min(2)), "5000.00", "acct-x"),
                change(TRANSFER_FIRST, "pw", at(min(5)), EventType.PASSWORD_CHANGE));
        // The change comes before the login.
        s.add(
                loginSuccess(CHANGE_FIRST, "hist", at(days(-1)), KNOWN),
                change(CHANGE_FIRST, "pw", at(min(-1)), EventType.PASSWORD_CHANGE),
                loginSuccess(CHANGE_FIRST, "login", at(min(0)), NEW),
                transferOut(CHANGE_FIRST, "out", at(min(5)), "5000.00", "acct-x"));
        // Login and transfer 1 ms less than the window apart, and exactly the window.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(
                    loginSuccess(user, "hist", at(days(-1)), KNOWN),
                    loginSuccess(user, "login", at(min(0)), NEW),
                    change(user, "email", at(min(10)), EventType.EMAIL_CHANGE));
        }
        s.add(transferOut(INSIDE, "out", at(min(30).minus(ms(1))), "1000.00", "acct-x"));
        s.add(transferOut(EXACT, "out", at(min(30)), "1000.00", "acct-x"));
        // Every credential or contact change completes the sequence; other changes do not.
        takeover(s, PHONE, EventType.PHONE_CHANGE, "1000.00");
        takeover(s, MFA, EventType.MFA_DISABLED, "1000.00");
        takeover(s, ADDRESS, EventType.ADDRESS_CHANGE, "1000.00");
        s.add(
                loginSuccess(PAYEE, "hist", at(days(-1)), KNOWN),
                loginSuccess(PAYEE, "login", at(min(0)), NEW),
                payeeAdded(PAYEE, "change", at(min(2)), "acct-x"),
                transferOut(PAYEE, "out", at(min(5)), "1000.00", "acct-x"));
        s.add(
                loginSuccess(DEVICE_REG, "hist", at(days(-1)), KNOWN),
                loginSuccess(DEVICE_REG, "login", at(min(0)), NEW),
                deviceRegistered(DEVICE_REG, "change", at(min(2)), NEW),
                transferOut(DEVICE_REG, "out", at(min(5)), "1000.00", "acct-x"));
        // Unrelated events of the user between the three steps, small transfer included.
        s.add(
                loginSuccess(INTERLEAVED, "hist", at(days(-1)), KNOWN),
                loginSuccess(INTERLEAVED, "login", at(min(0)), NEW),
                cardPayment(INTERLEAVED, "pay", at(min(1)), "20.00"),
                loginFailure(INTERLEAVED, "fail", at(sec(90)), NEW),
                change(INTERLEAVED, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                deposit(INTERLEAVED, "dep", at(sec(150)), "10.00"),
                transferOut(INTERLEAVED, "small", at(min(3)), "50.00", "acct-y"),
                change(INTERLEAVED, "addr", at(sec(210)), EventType.ADDRESS_CHANGE),
                transferOut(INTERLEAVED, "out", at(min(4)), "2000.00", "acct-x"));
        // One user logs in from a new device and transfers; another changes the password.
        s.add(
                loginSuccess(MIX_A, "hist", at(days(-1)), KNOWN),
                loginSuccess(MIX_B, "hist", at(days(-1)), KNOWN),
                loginSuccess(MIX_A, "login", at(min(0)), NEW),
                change(MIX_B, "pw", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(MIX_A, "out", at(min(5)), "5000.00", "acct-x"));
        // Out of order: the three steps arrive in reverse, within 3 s.
        s.add(loginSuccess(LATE, "hist", at(days(-1)), KNOWN));
        s.add(transferOut(LATE, "out", at(sec(2)), "1000.00", "acct-x"));
        s.addDelayed(ms(1500), change(LATE, "pw", at(sec(1)), EventType.PASSWORD_CHANGE));
        s.addDelayed(sec(3), loginSuccess(LATE, "login", at(sec(0)), NEW));
        // Alert at 5 min; a second takeover at 12 min is suppressed; a third at 42 min alerts.
        s.add(
                loginSuccess(AGAIN, "hist", at(days(-1)), KNOWN),
                loginSuccess(AGAIN, "login1", at(min(0)), "d-1"),
                change(AGAIN, "pw1", at(min(2)), EventType.PASSWORD_CHANGE),
                transferOut(AGAIN, "out1", at(min(5)), "1000.00", "acct-x"),
                loginSuccess(AGAIN, "login2", at(min(10)), "d-2"),
                change(AGAIN, "email2", at(min(11)), EventType.EMAIL_CHANGE),
                transferOut(AGAIN, "out2", at(min(12)), "1000.00", "acct-x"),
                loginSuccess(AGAIN, "login3", at(min(40)), "d-3"),
                change(AGAIN, "phone3", at(min(41)), EventType.PHONE_CHANGE),
                transferOut(AGAIN, "out3", at(min(42)), "1000.00", "acct-x"));
        return s;
    }

    /** Known device yesterday; new device at T0, the change at 2 min, the transfer at 5 min. */
    private static void takeover(Scenario s, String user, EventType changeType, String amount) {
        s.add(
                loginSuccess(user, "hist", at(days(-1)), KNOWN),
                loginSuccess(user, "login", at(min(0)), NEW),
                change(user, "change", at(min(2)), changeType),
                transferOut(user, "out", at(min(5)), amount, "acct-x"));
    }

    @Test
    void newDeviceLoginThenPasswordChangeThenTransferOfAThousandAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BASIC);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                BASIC,
                T0,
                at(min(5)),
                ids(BASIC, "login", "change", "out"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("login.deviceId", NEW)
                .containsEntry("change.type", "PASSWORD_CHANGE")
                .containsEntry("transfer.amount", "1000.00")
                .containsEntry("transfer.counterpartyId", "acct-x")
                .containsEntry("spanSeconds", "300");
    }

    @Test
    void transferOfOneCentLessThanAThousandDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(BELOW)).isEmpty();
    }

    @Test
    void loginFromAKnownDeviceDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(KNOWN_DEVICE)).isEmpty();
    }

    @Test
    void firstLoginEverIsNotFromANewDevice() throws Exception {
        assertThat(SCENARIO.alertsOf(FIRST_LOGIN)).isEmpty();
    }

    @Test
    void deviceLastUsed181DaysAgoIsNewAgain() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(STALE_DEVICE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                STALE_DEVICE,
                T0,
                at(min(5)),
                ids(STALE_DEVICE, "login", "pw", "out"));
    }

    @Test
    void deviceUsed179DaysAgoIsStillKnown() throws Exception {
        assertThat(SCENARIO.alertsOf(RECENT_DEVICE)).isEmpty();
    }

    @Test
    void loginAfterNoLoginInTheLast180DaysIsNotFromANewDevice() throws Exception {
        assertThat(SCENARIO.alertsOf(ONLY_STALE)).isEmpty();
    }

    @Test
    void transferBeforeTheChangeDoesNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(TRANSFER_FIRST)).isEmpty();
    }

    @Test
    void changeBeforeTheLoginDoesNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(CHANGE_FIRST)).isEmpty();
    }

    @Test
    void transferOneMillisecondLessThanTheWindowAfterTheLoginAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                INSIDE,
                T0,
                at(min(30).minus(ms(1))),
                ids(INSIDE, "login", "email", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("change.type", "EMAIL_CHANGE");
    }

    @Test
    void transferExactlyTheWindowAfterTheLoginDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void phoneChangeAndDisabledMfaCompleteTheSequence() throws Exception {
        assertThat(SCENARIO.alertsOf(PHONE))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.eventIds())
                                    .containsExactlyElementsOf(
                                            ids(PHONE, "login", "change", "out"));
                            assertThat(Scenario.evidence(a))
                                    .containsEntry("change.type", "PHONE_CHANGE");
                        });
        assertThat(SCENARIO.alertsOf(MFA))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.eventIds())
                                    .containsExactlyElementsOf(ids(MFA, "login", "change", "out"));
                            assertThat(Scenario.evidence(a))
                                    .containsEntry("change.type", "MFA_DISABLED");
                        });
    }

    @Test
    void addressChangeNewPayeeOrRegisteredDeviceIsNoCredentialChange() throws Exception {
        assertThat(SCENARIO.alertsOf(ADDRESS)).isEmpty();
        assertThat(SCENARIO.alertsOf(PAYEE)).isEmpty();
        assertThat(SCENARIO.alertsOf(DEVICE_REG)).isEmpty();
    }

    @Test
    void unrelatedEventsOfTheUserBetweenTheStepsNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                INTERLEAVED,
                T0,
                at(min(4)),
                ids(INTERLEAVED, "login", "pw", "out"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("transfer.amount", "2000.00");
    }

    @Test
    void stepsSpreadOverTwoUsersDoNotMatch() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void stepsArrivingInReverseWithinTheBoundMatchInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                LATE,
                T0,
                at(sec(2)),
                ids(LATE, "login", "pw", "out"));
    }

    @Test
    void secondTakeoverInsideTheSuppressionWindowIsSuppressedAndOneAfterItAlerts()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.CRITICAL,
                AGAIN,
                T0,
                at(min(5)),
                ids(AGAIN, "login1", "pw1", "out1"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.CRITICAL,
                AGAIN,
                at(min(40)),
                at(min(42)),
                ids(AGAIN, "login3", "phone3", "out3"));
        assertThat(Scenario.evidence(alerts.get(1))).containsEntry("login.deviceId", "d-3");
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        BASIC, STALE_DEVICE, INSIDE, PHONE, MFA, INTERLEAVED, LATE, AGAIN, AGAIN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void transferLessThanTheWindowAfterTheLoginAlertsWhenTheWatermarkAdvancesEventByEvent()
            throws Exception {
        // A payment 3 s before the login reaches the detection together with it; the transfer
        // follows the login by 29 min 58 s.
        String user = "ato-stepwise";
        List<UserEvent> log =
                List.of(
                        loginSuccess(user, "hist", at(days(-1)), KNOWN),
                        cardPayment(user, "pay", at(sec(-3)), "12.34"),
                        loginSuccess(user, "login", at(sec(0)), NEW),
                        change(user, "pw", at(min(1)), EventType.PASSWORD_CHANGE),
                        transferOut(user, "out", at(sec(1798)), "1000.00", "acct-x"));

        List<Alert> alerts = StepwiseWatermarks.run(log, CATALOGUE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.CRITICAL,
                user,
                T0,
                at(sec(1798)),
                ids(user, "login", "pw", "out"));
    }
}
