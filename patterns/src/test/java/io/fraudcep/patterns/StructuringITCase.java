package io.fraudcep.patterns;

import static io.fraudcep.patterns.AlertExpectations.assertAlert;
import static io.fraudcep.patterns.AlertExpectations.assertOnlyAlert;
import static io.fraudcep.patterns.TestEvents.T0;
import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.hours;
import static io.fraudcep.patterns.TestEvents.ids;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.ms;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferIn;
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
 * STRUCTURING end to end: at least 3 DEPOSIT each with 9000.00 <= amount < 10000.00, the first and
 * the third less than 24 h apart. Every case is one user of one shared log.
 */
class StructuringITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PATTERN = "STRUCTURING";
    private static final RuleSet CATALOGUE = RuleFiles.defaults().only(PATTERN);

    private static final String BAND = "st-band";
    private static final String TEN_THOUSAND = "st-ten-thousand";
    private static final String BELOW_BAND = "st-below-band";
    private static final String TRANSFER_IN = "st-transfer-in";
    private static final String INSIDE = "st-inside";
    private static final String EXACT = "st-exact";
    private static final String INTERLEAVED = "st-interleaved";
    private static final String MIX_A = "st-mix-a";
    private static final String MIX_B = "st-mix-b";
    private static final String LATE = "st-late";
    private static final String AGAIN = "st-again";

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // The band's edges: 9000.00 and 9999.99 are in it.
        s.add(
                deposit(BAND, "d1", at(hours(0)), "9000.00"),
                deposit(BAND, "d2", at(hours(2)), "9999.99"),
                deposit(BAND, "d3", at(hours(4)), "9500.00"));
        // 10000.00 is not in the band, nor is 8999.99.
        s.add(
                deposit(TEN_THOUSAND, "d1", at(hours(0)), "9000.00"),
                deposit(TEN_THOUSAND, "d2", at(hours(2)), "9999.99"),
                deposit(TEN_THOUSAND, "d3", at(hours(4)), "10000.00"));
        s.add(
                deposit(BELOW_BAND, "d1", at(hours(0)), "8999.99"),
                deposit(BELOW_BAND, "d2", at(hours(2)), "9000.00"),
                deposit(BELOW_BAND, "d3", at(hours(4)), "9000.00"));
        // A transfer in of the same size is no deposit.
        s.add(
                deposit(TRANSFER_IN, "d1", at(hours(0)), "9500.00"),
                deposit(TRANSFER_IN, "d2", at(hours(2)), "9500.00"),
                transferIn(TRANSFER_IN, "in", at(hours(4)), "9500.00", "acct-y"));
        // First and third 1 ms less than the window apart, and exactly the window.
        for (String user : List.of(INSIDE, EXACT)) {
            s.add(
                    deposit(user, "d1", at(hours(0)), "9500.00"),
                    deposit(user, "d2", at(hours(12)), "9500.00"));
        }
        s.add(deposit(INSIDE, "d3", at(hours(24).minus(ms(1))), "9500.00"));
        s.add(deposit(EXACT, "d3", at(hours(24)), "9500.00"));
        // Unrelated events of the user between the deposits.
        s.add(
                deposit(INTERLEAVED, "d1", at(hours(0)), "9100.00"),
                withdrawal(INTERLEAVED, "cash", at(hours(1)), "9100.00"),
                deposit(INTERLEAVED, "small", at(hours(2)), "500.00"),
                deposit(INTERLEAVED, "d2", at(hours(3)), "9200.00"),
                loginSuccess(INTERLEAVED, "login", at(hours(4)), "d-1"),
                deposit(INTERLEAVED, "d3", at(hours(5)), "9300.00"));
        // Two users, two deposits each, interleaved in time.
        s.add(
                deposit(MIX_A, "d1", at(hours(0)), "9500.00"),
                deposit(MIX_B, "d1", at(hours(1)), "9500.00"),
                deposit(MIX_A, "d2", at(hours(2)), "9500.00"),
                deposit(MIX_B, "d2", at(hours(3)), "9500.00"));
        // Out of order: d1 arrives after d2 and d3.
        s.add(deposit(LATE, "d2", at(sec(1)), "9500.00"));
        s.add(deposit(LATE, "d3", at(sec(2)), "9500.00"));
        s.addDelayed(sec(3), deposit(LATE, "d1", at(sec(0)), "9500.00"));
        // Alert at 2 h; the fourth deposit at 3 h and the fifth at 25 h trigger and are
        // suppressed; the sixth at 26 h, exactly the window after the alert, alerts on the
        // deposits of (2 h, 26 h], the suppressed ones included.
        s.add(
                deposit(AGAIN, "h0", at(hours(0)), "9500.00"),
                deposit(AGAIN, "h1", at(hours(1)), "9500.00"),
                deposit(AGAIN, "h2", at(hours(2)), "9500.00"),
                deposit(AGAIN, "h3", at(hours(3)), "9500.00"),
                deposit(AGAIN, "h25", at(hours(25)), "9500.00"),
                deposit(AGAIN, "h26", at(hours(26)), "9500.00"));
        return s;
    }

    @Test
    void threeDepositsInTheBandWithinADayAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(BAND);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                BAND,
                T0,
                at(hours(4)),
                ids(BAND, "d1", "d2", "d3"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("count(deposits)", "3")
                .containsEntry("sum(deposits.amount)", "28499.99")
                .containsEntry("spanSeconds", "14400");
    }

    @Test
    void depositOfTenThousandIsOutsideTheBand() throws Exception {
        assertThat(SCENARIO.alertsOf(TEN_THOUSAND)).isEmpty();
    }

    @Test
    void depositOfOneCentLessThanNineThousandIsOutsideTheBand() throws Exception {
        assertThat(SCENARIO.alertsOf(BELOW_BAND)).isEmpty();
    }

    @Test
    void incomingTransferInTheBandIsNoDeposit() throws Exception {
        assertThat(SCENARIO.alertsOf(TRANSFER_IN)).isEmpty();
    }

    @Test
    void thirdDepositOneMillisecondLessThanTheWindowAfterTheFirstAlerts() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INSIDE);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INSIDE,
                T0,
                at(hours(24).minus(ms(1))),
                ids(INSIDE, "d1", "d2", "d3"));
    }

    @Test
    void thirdDepositExactlyTheWindowAfterTheFirstDoesNotAlert() throws Exception {
        assertThat(SCENARIO.alertsOf(EXACT)).isEmpty();
    }

    @Test
    void unrelatedEventsOfTheUserBetweenTheDepositsNeitherBreakNorJoinTheMatch() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(INTERLEAVED);

        assertOnlyAlert(
                alerts,
                PATTERN,
                Severity.HIGH,
                INTERLEAVED,
                T0,
                at(hours(5)),
                ids(INTERLEAVED, "d1", "d2", "d3"));
        assertThat(Scenario.evidence(alerts.get(0)))
                .containsEntry("sum(deposits.amount)", "27600.00");
    }

    @Test
    void depositsOfOtherUsersDoNotCount() throws Exception {
        assertThat(SCENARIO.alertsOf(MIX_A)).isEmpty();
        assertThat(SCENARIO.alertsOf(MIX_B)).isEmpty();
    }

    @Test
    void depositsArrivingOutOfOrderWithinTheBoundCountInEventTimeOrder() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(LATE);

        assertOnlyAlert(
                alerts, PATTERN, Severity.HIGH, LATE, T0, at(sec(2)), ids(LATE, "d1", "d2", "d3"));
    }

    @Test
    void suppressedMatchesDoNotConsumeTheDepositsOfTheNextAlert() throws Exception {
        List<Alert> alerts = SCENARIO.alertsOf(AGAIN);

        assertThat(alerts).hasSize(2);
        assertAlert(
                alerts.get(0),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                T0,
                at(hours(2)),
                ids(AGAIN, "h0", "h1", "h2"));
        assertAlert(
                alerts.get(1),
                PATTERN,
                Severity.HIGH,
                AGAIN,
                at(hours(3)),
                at(hours(26)),
                ids(AGAIN, "h3", "h25", "h26"));
    }

    @Test
    void noOtherAlertsThanTheCasesExpect() throws Exception {
        assertThat(SCENARIO.alerts())
                .extracting(Alert::userId)
                .containsExactlyInAnyOrder(BAND, INSIDE, INTERLEAVED, LATE, AGAIN, AGAIN);
    }

    @Test
    void sameLogGivesTheSameAlertsWithTheSameIdsOnEveryRun() throws Exception {
        List<Alert> first = SCENARIO.alerts();

        assertThat(SCENARIO.runAgain()).containsExactlyElementsOf(first);
        assertThat(first).extracting(Alert::alertId).doesNotHaveDuplicates();
    }
}
