package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.hours;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginFailureFrom;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.loginSuccessFrom;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IMPOSSIBLE_TRAVEL end to end: two consecutive LOGIN_SUCCESS with coordinates (logins without them
 * are skipped) at least 500 km apart, implied speed above 1000 km/h, less than 6 h apart; a zero
 * gap is infinite speed. Places lie on the Greenwich meridian, so the great-circle distance from
 * the equator is exactly radius × latitude. Every case is one user of one log.
 */
class ImpossibleTravelITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "IMPOSSIBLE_TRAVEL";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String FAST = "it-fast";
    private static final String SLOW = "it-slow";
    private static final String NEAR = "it-near";
    private static final String FAR = "it-far";
    private static final String ZERO_GAP = "it-zero-gap";
    private static final String INSIDE = "it-inside";
    private static final String EXACT = "it-exact";
    private static final String NO_COORDINATES = "it-no-coordinates";
    private static final String FAILURE = "it-failure";
    private static final String CONSECUTIVE = "it-consecutive";
    private static final String MIX_A = "it-mix-a";
    private static final String MIX_B = "it-mix-b";
    private static final String LATE = "it-late";
    private static final String AGAIN = "it-again";
    private static final String AGAIN_EARLY = "it-again-early";

    private static final Scenario SCENARIO = scenario();

    /** A successful login at {@code km} north of (0, 0) along the Greenwich meridian. */
    private static UserEvent loginAtKm(String user, String name, Instant t, double km) {
        return loginSuccessFrom(user, name, t, "d-" + name, latitudeOfKm(km), 0.0);
    }

    private static double latitudeOfKm(double km) {
        return Math.toDegrees(km / 6371.0);
    }

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // 1001 km in one hour, and 999 km in one hour.
        s.add(loginAtKm(FAST, "a", at(hours(0)), 0), loginAtKm(FAST, "b", at(hours(1)), 1001));
        s.add(loginAtKm(SLOW, "a", at(hours(0)), 0), loginAtKm(SLOW, "b", at(hours(1)), 999));
        // 499 km and 501 km, both within a minute.
        s.add(loginAtKm(NEAR, "a", at(min(0)), 0), loginAtKm(NEAR, "b", at(min(1)), 499));
        s.add(loginAtKm(FAR, "a", at(min(0)), 0), loginAtKm(FAR, "b", at(min(1)), 501));
        // 600 km apart at the same instant.
        s.add(loginAtKm(ZERO_GAP, "a", at(min(0)), 0), loginAtKm(ZERO_GAP, "b", at(min(0)), 600));
        // 7000 km, 1 ms less than the window apart (about 1167 km/h), and exactly the window.
        s.add(
                loginAtKm(INSIDE, "a", at(hours(0)), 0),
                loginAtKm(INSIDE, "b", at(hours(6).minus(ms(1))), 7000));
        s.add(loginAtKm(EXACT, "a", at(hours(0)), 0), loginAtKm(EXACT, "b", at(hours(6)), 7000));
        // A login without coordinates in between is skipped, a card payment is unrelated.
        s.add(
                loginAtKm(NO_COORDINATES, "a", at(min(0)), 0),
                loginSuccess(NO_COORDINATES, "plain", at(min(10)), "d-plain"),
                cardPayment(NO_COORDINATES, "pay", at(min(20)), "12.00"),
                loginAtKm(NO_COORDINATES, "b", at(hours(1)), 1001));
        // A failed login far away is no successful login.
        s.add(
                loginAtKm(FAILURE, "a", at(min(0)), 0),
                loginFailureFrom(FAILURE, "fail", at(min(10)), "d-x", latitudeOfKm(5000), 0.0),
                loginAtKm(FAILURE, "b", at(min(20)), 10));
        // Only consecutive logins compare: b -> c is 1001 km/h, a -> c only 667 km/h.
        s.add(
                loginAtKm(CONSECUTIVE, "a", at(min(0)), 0),
                loginAtKm(CONSECUTIVE, "b", at(min(30)), 0),
                loginAtKm(CONSECUTIVE, "c", at(min(90)), 1001));
        // Two users far apart: each one stays put.
        s.add(
                loginAtKm(MIX_A, "a1", at(min(0)), 0),
                loginAtKm(MIX_B, "b1", at(min(30)), 1001),
                loginAtKm(MIX_A, "a2", at(min(60)), 0),
                loginAtKm(MIX_B, "b2", at(min(90)), 1001));
        // Out of order: the earlier login arrives 1 s after the later one.
        s.add(loginAtKm(LATE, "b", at(sec(2)), 1001));
        s.addDelayed(sec(3), loginAtKm(LATE, "a", at(sec(0)), 0));
        // Alert at 1 h; the jump back at 2 h is suppressed; the next jump alerts exactly 6 h
        // after the first alert, or is suppressed 1 ms earlier.
        for (String user : List.of(AGAIN, AGAIN_EARLY)) {
            s.add(
                    loginAtKm(user, "a", at(hours(0)), 0),
                    loginAtKm(user, "b", at(hours(1)), 1001),
                    loginAtKm(user, "c", at(hours(2)), 0),
                    loginAtKm(user, "d", at(hours(6)), 0));
        }
        s.add(loginAtKm(AGAIN, "e", at(hours(7)), 1001));
        s.add(loginAtKm(AGAIN_EARLY, "e", at(hours(7).minus(ms(1))), 1001));
        return s;
    }

    @Test
    void loginsThousandAndOneKilometresApartWithinAnHourAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(FAST);

        assertOnlyAlert(
                alerts, PATTERN, Severity.MEDIUM, FAST, T0, at(hours(1)), ids(FAST, "a", "b"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("distanceKm(earlier, later)", "1001.0")
                .containsEntry("speedKmh(earlier, later)", "1001.0")
                .containsEntry("spanSeconds", "3600")
                .containsEntry("earlier.deviceId", "d-a")
                .containsEntry("later.deviceId", "d-b");
    }

    @Test
    void speedOf999KilometresPerHourDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(SLOW)).isEmpty();
    }

    @Test
    void loginsLessThan500KilometresApartDoNotAlertHoweverFast() throws Exception {
        assertThat(SCENARIO.alertsOf(NEAR)).isEmpty();
    }

    @Test
    void loginsMoreThan500KilometresApartWithinAMinuteAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(FAR);

        assertThat(alerts).hasSize(1);
        assertAlert(
                alerts.get(0), PATTERN, Severity.MEDIUM, FAR, T0, at(min(1)), ids(FAR, "a", "b"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("distanceKm(earlier, later)", "501.0")
                .containsEntry("speedKmh(earlier, later)", "30060.0")
                .containsEntry("spanSeconds", "60");
    }

    @Test
    void loginsAtTheSameInstantFarApartTravelAtInfiniteSpeed() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(ZERO_GAP);

        assertThat(alerts).hasSize(1);
        assertAlert(
                alerts.get(0), PATTERN, Severity.MEDIUM, ZERO_GAP, T0, T0, ids(ZERO_GAP, "a", "b"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("distanceKm(earlier, later)", "600.0")
                .containsEntry("speedKmh(earlier, later)", "infinite")
                .containsEntry("spanSeconds", "0");
    }

    @Test
    void loginsOneMillisecondLessThanTheWindowApartAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                INSIDE,
                T0,
                at(hours(6).minus(ms(1))),
                ids(INSIDE, "a", "b"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("distanceKm(earlier, later)", "7000.0")
                .containsEntry("speedKmh(earlier, later)", "1166.7")
                .containsEntry("spanSeconds", "21599");
    }

    @Test
    void loginsExactlyTheWindowApartDoNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void loginWithoutCoordinatesBetweenIsSkipped() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(NO_COORDINATES);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                NO_COORDINATES,
                T0,
                at(hours(1)),
                ids(NO_COORDINATES, "a", "b"));
    }

    @Test
    void failedLoginFarAwayIsNotComparedWith() throws Exception {
        assertThat(SCENARIO.alertsOf(FAILURE)).isEmpty();
    }

    @Test
    void onlyConsecutiveLoginsWithCoordinatesAreCompared() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(CONSECUTIVE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.MEDIUM,
                CONSECUTIVE,
                at(min(30)),
                at(min(90)),
                ids(CONSECUTIVE, "b", "c"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "3600");
    }

    @Test
    void loginsOfOtherUsersAreNotCompared() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void loginsArrivingOutOfOrderWithinTheBoundCompareInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertThat(alerts).hasSize(1);
        assertAlert(
                alerts.get(0), PATTERN, Severity.MEDIUM, LATE, T0, at(sec(2)), ids(LATE, "a", "b"));
        assertThat(Scenario.evidence(alerts.get(0))).containsEntry("spanSeconds", "2");
    }

    @Test
    void jumpInsideTheSuppressionWindowIsSuppressedAndOneExactlyTheWindowAfterAlerts()
            throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                T0,
                at(hours(1)),
                ids(AGAIN, "a", "b"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.MEDIUM,
                AGAIN,
                at(hours(6)),
                at(hours(7)),
                ids(AGAIN, "d", "e"));
    }

    @Test
    void jumpOneMillisecondLessThanTheWindowAfterTheLastAlertIsSuppressed() throws Exception {
        assertThat(SCENARIO.alertsOf(AGAIN_EARLY))
                .extracting(Alert::detectedAt)
                .containsExactly(at(hours(1)));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(
                        FAST,
                        FAR,
                        ZERO_GAP,
                        INSIDE,
                        NO_COORDINATES,
                        CONSECUTIVE,
                        LATE,
                        AGAIN,
                        AGAIN,
                        AGAIN_EARLY);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }
}
