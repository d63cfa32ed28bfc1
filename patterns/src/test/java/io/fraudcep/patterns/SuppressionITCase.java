package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.loginFailure;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suppression as alerts.md defines it, on its own example: outgoing payments every 7 s from t = 0
 * trigger VELOCITY (5 min) on every payment from the tenth (t = 63 s, alerted) on; the next alert
 * is the first trigger at or after 363 s, t = 364 s, and the one after that at 665 s. Suppression
 * is per user and per pattern.
 */
class SuppressionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final RuleSet CATALOGUE =
            RuleFiles.defaults().only("VELOCITY", "BRUTE_FORCE_LOGIN");

    /** Pays every 7 s from t = 0 to t = 700 s, and breaks into its own account at 105 s. */
    private static final String PAYER = "sup-payer";

    /** Pays every 7 s from t = 1 s to t = 701 s. */
    private static final String OTHER_PAYER = "sup-other-payer";

    private static final int PAYMENTS = 101;

    private static final Scenario SCENARIO = scenario();

    private static List<UserEvent> payments(String user, long firstSecond) {
        List<UserEvent> payments = new ArrayList<>();
        for (int k = 0; k < PAYMENTS; k++) {
            payments.add(
                    transferOut(user, "p" + k, at(sec(firstSecond + 7L * k)), "20.00", "acct"));
        }
        return payments;
    }

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        s.add(payments(PAYER, 0).toArray(new UserEvent[0]));
        s.add(payments(OTHER_PAYER, 1).toArray(new UserEvent[0]));
        for (int i = 1; i <= 5; i++) {
            s.add(loginFailure(PAYER, "f" + i, at(sec(99 + i)), "d-1"));
        }
        s.add(loginSuccess(PAYER, "ok", at(sec(105)), "d-1"));
        return s;
    }

    /** Payment ids p{from} .. p{to} of a user. */
    private static List<String> paymentIds(String user, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            ids.add(TestEvents.id(user, "p" + k));
        }
        return ids;
    }

    private static List<Alert> velocityAlerts(List<Alert> alerts, String user) {
        List<Alert> mine = new ArrayList<>();
        for (Alert a : alerts) {
            if (a.userId().equals(user) && a.patternId().equals("VELOCITY")) {
                mine.add(a);
            }
        }
        return mine;
    }

    @Test
    void paymentsEverySevenSecondsAlertAt63ThenAt364ThenAt665Seconds() throws Exception {
        List<Alert> alerts = velocityAlerts(SCENARIO.alerts(), PAYER);

        assertThat(alerts)
                .extracting(Alert::detectedAt)
                .containsExactly(at(sec(63)), at(sec(364)), at(sec(665)));
        assertAlert(
                alerts.get(0),
                "VELOCITY",
                Severity.MEDIUM,
                PAYER,
                T0,
                at(sec(63)),
                paymentIds(PAYER, 0, 9));
        // The window (64 s, 364 s] holds the payments at 70 s .. 364 s.
        assertAlert(
                alerts.get(1),
                "VELOCITY",
                Severity.MEDIUM,
                PAYER,
                at(sec(70)),
                at(sec(364)),
                paymentIds(PAYER, 10, 52));
        assertThat(Scenario.evidence(alerts.get(1))).containsEntry("count(outgoing)", "43");
        assertAlert(
                alerts.get(2),
                "VELOCITY",
                Severity.MEDIUM,
                PAYER,
                at(sec(371)),
                at(sec(665)),
                paymentIds(PAYER, 53, 95));
    }

    @Test
    void anotherUserIsNotSuppressedByTheFirstUsersAlerts() throws Exception {
        List<Alert> alerts = velocityAlerts(SCENARIO.alerts(), OTHER_PAYER);

        assertThat(alerts)
                .extracting(Alert::detectedAt)
                .containsExactly(at(sec(64)), at(sec(365)), at(sec(666)));
        assertThat(alerts.get(0).eventIds()).isEqualTo(paymentIds(OTHER_PAYER, 0, 9));
    }

    @Test
    void anotherPatternOfTheSameUserIsNotSuppressedByTheVelocityAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(PAYER))
                .filteredOn(a -> a.patternId().equals("BRUTE_FORCE_LOGIN"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.detectedAt()).isEqualTo(at(sec(105)));
                            assertThat(a.eventIds())
                                    .isEqualTo(
                                            TestEvents.ids(
                                                    PAYER, "f1", "f2", "f3", "f4", "f5", "ok"));
                        });
    }

    @Test
    void noOtherAlertsThanTheExampleExpects() throws Exception {
        assertThat(SCENARIO.alerts()).hasSize(7);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }

    @Test
    void suppressionIsTheSameWhenTheWatermarkAdvancesEventByEvent() throws Exception {
        List<Alert> alerts =
                StepwiseWatermarks.run(payments(PAYER, 0), RuleFiles.defaults().only("VELOCITY"));

        assertThat(alerts)
                .extracting(Alert::detectedAt)
                .containsExactly(at(sec(63)), at(sec(364)), at(sec(665)));
        assertThat(alerts).containsExactlyElementsOf(velocityAlerts(SCENARIO.alerts(), PAYER));
    }
}
