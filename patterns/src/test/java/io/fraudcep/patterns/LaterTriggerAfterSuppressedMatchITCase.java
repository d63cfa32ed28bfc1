package io.fraudcep.patterns;

import static io.fraudcep.patterns.TestEvents.at;
import static io.fraudcep.patterns.TestEvents.cardPayment;
import static io.fraudcep.patterns.TestEvents.change;
import static io.fraudcep.patterns.TestEvents.days;
import static io.fraudcep.patterns.TestEvents.deposit;
import static io.fraudcep.patterns.TestEvents.hours;
import static io.fraudcep.patterns.TestEvents.loginFailure;
import static io.fraudcep.patterns.TestEvents.loginSuccess;
import static io.fraudcep.patterns.TestEvents.loginSuccessFrom;
import static io.fraudcep.patterns.TestEvents.min;
import static io.fraudcep.patterns.TestEvents.payeeAdded;
import static io.fraudcep.patterns.TestEvents.sec;
import static io.fraudcep.patterns.TestEvents.transferIn;
import static io.fraudcep.patterns.TestEvents.transferOut;
import static io.fraudcep.patterns.TestEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.model.EventType;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bug 2 of "Exact on any log", for every pattern: whether an event triggers depends only on the
 * events in its window, never on earlier matches (alerts.md). In each case a first episode alerts,
 * a second one triggers while that alert still suppresses, and a third trigger, whose window still
 * holds the second episode's opening events, comes at least one window after the first alert: it
 * must alert, even though the suppressed trigger completed a match with the same opening events.
 * One user per pattern, the whole default catalogue, stepwise watermarks as on a live stream.
 */
class LaterTriggerAfterSuppressedMatchITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** DORMANT_ACCOUNT needs a short dormancy to have two dormant logins within one window. */
    private static final RuleSet CATALOGUE = catalogue();

    private static RuleSet catalogue() {
        RuleSet defaults = RuleFiles.defaults();
        List<Rule> rules = new ArrayList<>();
        for (Rule r : defaults.rules()) {
            rules.add(
                    r.id().equals("DORMANT_ACCOUNT")
                            ? r.withParam(
                                    "minDormancy",
                                    ParamValue.duration(Duration.ofMinutes(20), "20m"))
                            : r);
        }
        return new RuleSet(defaults.version(), rules);
    }

    private static final Scenario SCENARIO = scenario();

    private static Scenario scenario() {
        Scenario s = new Scenario(CATALOGUE);
        // The nine-event repro: alert at 3 min; three small payments at 15 min and a
        // suppressed 9,500.00 at 16 min; the 2,000.00 at 28 min must alert.
        String ct = "later-ct";
        s.add(
                cardPayment(ct, "s1", at(min(0)), "1.00"),
                cardPayment(ct, "s2", at(min(1)), "1.00"),
                cardPayment(ct, "s3", at(min(2)), "1.00"),
                cardPayment(ct, "big1", at(min(3)), "600.00"),
                cardPayment(ct, "s4", at(min(15)), "1.00"),
                cardPayment(ct, "s5", at(min(15).plusSeconds(10)), "1.00"),
                cardPayment(ct, "s6", at(min(15).plusSeconds(20)), "1.00"),
                cardPayment(ct, "big2", at(min(16)), "9500.00"),
                cardPayment(ct, "big3", at(min(28)), "2000.00"));
        String ato = "later-ato";
        s.add(
                loginSuccess(ato, "known", at(days(-1)), "d1"),
                loginSuccess(ato, "l1", at(min(0)), "d9"),
                change(ato, "c1", at(min(1)), EventType.PASSWORD_CHANGE),
                transferOut(ato, "t1", at(min(2)), "1500.00", "acct-1"),
                loginSuccess(ato, "l2", at(min(20)), "d8"),
                change(ato, "c2", at(min(21)), EventType.EMAIL_CHANGE),
                transferOut(ato, "t2", at(min(22)), "1000.00", "acct-2"),
                transferOut(ato, "t3", at(min(40)), "2000.00", "acct-3"));
        String bf = "later-bf";
        for (int i = 0; i < 5; i++) {
            s.add(loginFailure(bf, "f" + i, at(sec(10L * i)), "d1"));
            s.add(loginFailure(bf, "g" + i, at(min(9).plusSeconds(10L * i)), "d1"));
        }
        s.add(
                loginSuccess(bf, "ok1", at(min(1)), "d1"),
                loginSuccess(bf, "ok2", at(min(10)), "d1"),
                loginSuccess(bf, "ok3", at(min(18)), "d1"));
        String da = "later-da";
        s.add(
                deposit(da, "old", at(days(-2)), "10.00"),
                loginSuccess(da, "l1", at(min(0)), "d1"),
                withdrawal(da, "w1", at(min(5)), "1000.00"),
                loginSuccess(da, "l2", at(min(50)), "d1"),
                withdrawal(da, "w2", at(min(55)), "1000.00"),
                withdrawal(da, "w3", at(min(80)), "1000.00"));
        String npd = "later-npd";
        s.add(
                payeeAdded(npd, "p1", at(min(0)), "X"),
                transferOut(npd, "t1", at(min(1)), "5000.00", "X"),
                payeeAdded(npd, "p2", at(min(9)), "Y"),
                transferOut(npd, "t2", at(min(10)), "6000.00", "Y"),
                transferOut(npd, "t3", at(min(18)), "7000.00", "Y"));
        String vel = "later-vel";
        for (int i = 0; i < 10; i++) {
            s.add(cardPayment(vel, "a" + i, at(sec(10L * i)), "20.00"));
            s.add(cardPayment(vel, "b" + i, at(min(4).plusSeconds(5L * i)), "20.00"));
        }
        s.add(cardPayment(vel, "c", at(min(6).plusSeconds(40)), "20.00"));
        String st = "later-st";
        s.add(
                deposit(st, "d1", at(hours(0)), "9000.00"),
                deposit(st, "d2", at(hours(1)), "9100.00"),
                deposit(st, "d3", at(hours(2)), "9200.00"),
                deposit(st, "d4", at(hours(20)), "9300.00"),
                deposit(st, "d5", at(hours(21)), "9400.00"),
                deposit(st, "d6", at(hours(22)), "9500.00"),
                deposit(st, "d7", at(hours(30)), "9600.00"));
        String mm = "later-mm";
        s.add(
                transferIn(mm, "in1", at(min(0)), "2000.00", "src-1"),
                transferOut(mm, "o1", at(min(10)), "1600.00", "dst-1"),
                transferIn(mm, "in2", at(min(60)), "3000.00", "src-2"),
                transferOut(mm, "o2", at(min(90)), "2400.00", "dst-2"),
                withdrawal(mm, "o3", at(min(140)), "100.00"));
        String it = "later-it";
        s.add(
                loginSuccessFrom(it, "paris", at(hours(0)), "d1", 48.85, 2.35),
                loginSuccessFrom(it, "new-york", at(hours(1)), "d1", 40.71, -74.01),
                loginSuccessFrom(it, "tokyo", at(hours(2)), "d1", 35.68, 139.69),
                loginSuccessFrom(it, "sydney", at(hours(7).plusMinutes(30)), "d1", -33.87, 151.21));
        return s;
    }

    @Test
    void cardTestingAlertsALaterLargePaymentAfterASuppressedOne() throws Exception {
        assertThat(detections("later-ct", "CARD_TESTING")).containsExactly(at(min(3)), at(min(28)));
    }

    @Test
    void accountTakeoverAlertsALaterTransferAfterASuppressedOne() throws Exception {
        assertThat(detections("later-ato", "ACCOUNT_TAKEOVER"))
                .containsExactly(at(min(2)), at(min(40)));
    }

    @Test
    void bruteForceAlertsALaterSuccessAfterASuppressedOne() throws Exception {
        assertThat(detections("later-bf", "BRUTE_FORCE_LOGIN"))
                .containsExactly(at(min(1)), at(min(18)));
    }

    @Test
    void dormantAccountAlertsALaterOutflowAfterASuppressedOne() throws Exception {
        assertThat(detections("later-da", "DORMANT_ACCOUNT"))
                .containsExactly(at(min(5)), at(min(80)));
    }

    @Test
    void newPayeeDrainAlertsALaterTransferAfterASuppressedOne() throws Exception {
        assertThat(detections("later-npd", "NEW_PAYEE_DRAIN"))
                .containsExactly(at(min(1)), at(min(18)));
    }

    @Test
    void velocityAlertsALaterPaymentAfterASuppressedBurst() throws Exception {
        assertThat(detections("later-vel", "VELOCITY"))
                .containsExactly(at(sec(90)), at(min(6).plusSeconds(40)));
    }

    @Test
    void structuringAlertsALaterDepositAfterASuppressedRun() throws Exception {
        assertThat(detections("later-st", "STRUCTURING"))
                .containsExactly(at(hours(2)), at(hours(30)));
    }

    @Test
    void moneyMuleAlertsALaterOutflowAfterASuppressedOne() throws Exception {
        assertThat(detections("later-mm", "MONEY_MULE")).containsExactly(at(min(10)), at(min(140)));
    }

    @Test
    void impossibleTravelAlertsALaterLoginAfterASuppressedOne() throws Exception {
        assertThat(detections("later-it", "IMPOSSIBLE_TRAVEL"))
                .containsExactly(at(hours(1)), at(hours(7).plusMinutes(30)));
    }

    @Test
    void theSameAlertsWithAWatermarkAfterEveryEvent() throws Exception {
        List<Alert> stepwise = StepwiseWatermarks.run(SCENARIO.log(), CATALOGUE);
        assertThat(stepwise)
                .extracting(Alert::alertId)
                .containsExactlyInAnyOrderElementsOf(
                        SCENARIO.alerts().stream().map(Alert::alertId).toList());
    }

    private static List<Instant> detections(String user, String patternId) throws Exception {
        return SCENARIO.alertsOf(user).stream()
                .filter(a -> a.patternId().equals(patternId))
                .map(Alert::detectedAt)
                .toList();
    }
}
