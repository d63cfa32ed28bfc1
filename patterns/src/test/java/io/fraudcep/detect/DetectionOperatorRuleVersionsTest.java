package io.fraudcep.detect;

import static io.fraudcep.detect.RuleVersionFixtures.FROM_THE_START;
import static io.fraudcep.detect.RuleVersionFixtures.NO_FILE_RULES;
import static io.fraudcep.detect.RuleVersionFixtures.T0;
import static io.fraudcep.detect.RuleVersionFixtures.USER;
import static io.fraudcep.detect.RuleVersionFixtures.alertId;
import static io.fraudcep.detect.RuleVersionFixtures.burst;
import static io.fraudcep.detect.RuleVersionFixtures.burstDisabled;
import static io.fraudcep.detect.RuleVersionFixtures.hashOf;
import static io.fraudcep.detect.RuleVersionFixtures.minutes;
import static io.fraudcep.detect.RuleVersionFixtures.patternVersion;
import static io.fraudcep.detect.RuleVersionFixtures.payeeAdded;
import static io.fraudcep.detect.RuleVersionFixtures.payment;
import static io.fraudcep.detect.RuleVersionFixtures.quietAfterPayee;
import static io.fraudcep.detect.RuleVersionFixtures.seconds;
import static io.fraudcep.detect.RuleVersionFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detection operator with rule versions arriving on its second input while events flow, as the
 * version gate sends them (before the watermark passes their instant): each trigger is judged by
 * the version of its rule id in force at its instant, over the whole window, events from before
 * that version included; alerts carry the judging version's {@code patternVersion}; shadow alerts
 * leave by their own output with their own suppression; and what the engine keeps.
 */
class DetectionOperatorRuleVersionsTest {

    private DetectionHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = DetectionHarness.start(RuleHistory.of(NO_FILE_RULES));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /**
     * Sends card payments {@code <prefix>0, <prefix>1, ...} of {@link RuleVersionFixtures#USER}.
     */
    private void payments(String prefix, Instant... times) throws Exception {
        for (int i = 0; i < times.length; i++) {
            harness.send(payment(prefix + i, times[i]));
        }
    }

    private static void assertAlert(
            Alert alert, RuleChange judgedBy, Instant detectedAt, String... eventIds) {
        assertThat(alert.patternId()).isEqualTo(judgedBy.ruleId());
        assertThat(alert.patternVersion())
                .isEqualTo(patternVersion(judgedBy))
                .startsWith(judgedBy.ruleVersion() + "-");
        assertThat(alert.userId()).isEqualTo(USER);
        assertThat(alert.eventIds()).containsExactly(eventIds);
        assertThat(alert.alertId()).isEqualTo(alertId(judgedBy.ruleId(), eventIds));
        assertThat(alert.detectedAt()).isEqualTo(detectedAt);
    }

    // ---- thresholds ----------------------------------------------------------------------------

    @Test
    void aLoweredThresholdTriggersOnTheFirstEventAfterItsInstantWithTheEventsFromBeforeIt()
            throws Exception {
        RuleChange atLeastTen = version(1, FROM_THE_START, burst(10));
        RuleChange atLeastThree = version(2, seconds(210), burst(3));
        harness.apply(atLeastTen);
        payments("p", T0, seconds(60), seconds(120), seconds(180));
        harness.apply(atLeastThree);
        assertThat(harness.alerts()).isEmpty();

        harness.send(payment("p4", seconds(240)));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertAlert(
                                    a, atLeastThree, seconds(240), "p0", "p1", "p2", "p3", "p4");
                            assertThat(a.windowStart()).isEqualTo(T0);
                        });
        assertThat(harness.shadowAlerts()).isEmpty();
    }

    @Test
    void aRaisedThresholdGivesNoTriggerTheOldVersionWouldHaveGivenAfterItsInstant()
            throws Exception {
        RuleChange atLeastFive = version(1, FROM_THE_START, burst(5));
        RuleChange atLeastSix = version(2, seconds(210), burst(6));
        harness.apply(atLeastFive);
        payments("p", T0, seconds(60), seconds(120), seconds(180));
        harness.apply(atLeastSix);

        // Five payments: the old version's trigger, not the new one's.
        harness.send(payment("p4", seconds(240)));
        assertThat(harness.alerts()).isEmpty();

        harness.send(payment("p5", seconds(300)));
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a ->
                                assertAlert(
                                        a,
                                        atLeastSix,
                                        seconds(300),
                                        "p0",
                                        "p1",
                                        "p2",
                                        "p3",
                                        "p4",
                                        "p5"));
    }

    @Test
    void eachAlertCarriesThePatternVersionOfTheVersionThatJudgedIt() throws Exception {
        RuleChange three = version(1, FROM_THE_START, burst("active", 3, "2m"));
        RuleChange two = version(2, seconds(200), burst("active", 2, "2m"));
        harness.apply(three);
        payments("p", T0, seconds(30), seconds(60));
        harness.apply(two);
        harness.send(payment("p3", seconds(240)));
        harness.send(payment("p4", seconds(250)));

        List<Alert> alerts = harness.alerts();
        assertThat(alerts).hasSize(2);
        assertAlert(alerts.get(0), three, seconds(60), "p0", "p1", "p2");
        assertAlert(alerts.get(1), two, seconds(250), "p3", "p4");
        assertThat(hashOf(alerts.get(0).patternVersion()))
                .isNotEqualTo(hashOf(alerts.get(1).patternVersion()));
    }

    // ---- windows and suppression ------------------------------------------------------------

    @Test
    void aShortenedWindowJudgesTriggersAfterItsInstantOverTheShorterWindow() throws Exception {
        RuleChange tenMinutes = version(1, FROM_THE_START, burst("active", 3, "10m"));
        RuleChange threeMinutes = version(2, seconds(300), burst("active", 3, "3m"));
        harness.apply(tenMinutes);
        payments("p", T0, seconds(240));
        harness.apply(threeMinutes);

        // Three payments within 10 minutes, but only two within 3.
        harness.send(payment("p2", seconds(360)));
        assertThat(harness.alerts()).isEmpty();

        harness.send(payment("p3", seconds(390)));
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertAlert(a, threeMinutes, seconds(390), "p1", "p2", "p3");
                            assertThat(a.windowStart()).isEqualTo(seconds(240));
                        });
    }

    @Test
    void aLengthenedWindowReachesBackToEventsTheOldWindowNoLongerCovered() throws Exception {
        RuleChange twoMinutes = version(1, FROM_THE_START, burst("active", 3, "2m"));
        RuleChange fifteenMinutes = version(2, seconds(720), burst("active", 3, "15m"));
        harness.apply(twoMinutes);
        payments("p", T0, seconds(300), seconds(600));
        assertThat(harness.alerts()).isEmpty();
        // p0 has been out of every window of the version in force for eight minutes: still kept.
        assertThat(harness.keptEventIds(USER)).containsExactly("p0", "p1", "p2");

        harness.apply(fifteenMinutes);
        harness.send(payment("p3", seconds(780)));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertAlert(a, fifteenMinutes, seconds(780), "p0", "p1", "p2", "p3");
                            assertThat(a.windowStart()).isEqualTo(T0);
                        });
    }

    @Test
    void theSuppressionPeriodIsTheJudgingVersionsWindow() throws Exception {
        RuleChange tenMinutes = version(1, FROM_THE_START, burst("active", 3, "10m"));
        RuleChange twoMinutes = version(2, seconds(60), burst("active", 3, "2m"));
        harness.apply(tenMinutes);
        payments("p", T0, seconds(20), seconds(40)); // alert at 40 s
        harness.apply(twoMinutes);
        harness.send(payment("p3", seconds(130))); // triggers, within 2 min of 40 s
        harness.send(payment("p4", seconds(140)));
        harness.send(payment("p5", seconds(160))); // 2 min after 40 s; 10 min would suppress

        List<Alert> alerts = harness.alerts();
        assertThat(alerts).hasSize(2);
        assertAlert(alerts.get(0), tenMinutes, seconds(40), "p0", "p1", "p2");
        assertAlert(alerts.get(1), twoMinutes, seconds(160), "p3", "p4", "p5");
    }

    // ---- modes ---------------------------------------------------------------------------------

    @Test
    void aPromotedShadowRuleAlertsOnTheMainOutputUnsuppressedByItsShadowAlerts() throws Exception {
        RuleChange shadow = version(1, FROM_THE_START, burst("shadow", 3, "10m"));
        RuleChange promoted = version(2, seconds(150), burst("active", 3, "10m"));
        harness.apply(shadow);
        payments("p", T0, seconds(60), seconds(120));
        assertThat(harness.alerts()).isEmpty();
        assertThat(harness.shadowAlerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, shadow, seconds(120), "p0", "p1", "p2"));

        harness.apply(promoted);
        harness.send(payment("p3", seconds(180)));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, promoted, seconds(180), "p0", "p1", "p2", "p3"));
        assertThat(harness.shadowAlerts()).hasSize(1);
        // The mode is not part of the hash: the shadow and the active alerts can be compared.
        assertThat(hashOf(harness.alerts().get(0).patternVersion()))
                .isEqualTo(hashOf(harness.shadowAlerts().get(0).patternVersion()));
    }

    @Test
    void aDemotedRuleAlertsOnTheShadowOutputOnlyUnsuppressedByItsActiveAlerts() throws Exception {
        RuleChange active = version(1, FROM_THE_START, burst("active", 3, "10m"));
        RuleChange demoted = version(2, seconds(150), burst("shadow", 3, "10m"));
        harness.apply(active);
        payments("p", T0, seconds(60), seconds(120));
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, active, seconds(120), "p0", "p1", "p2"));

        harness.apply(demoted);
        harness.send(payment("p3", seconds(180)));
        harness.send(payment("p4", seconds(240)));

        assertThat(harness.shadowAlerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, demoted, seconds(180), "p0", "p1", "p2", "p3"));
        assertThat(harness.alerts()).hasSize(1);
    }

    @Test
    void eachModeKeepsItsOwnSuppressionAcrossModeChanges() throws Exception {
        RuleChange v1 = version(1, FROM_THE_START, burst("active", 3, "10m"));
        RuleChange v2 = version(2, seconds(150), burst("shadow", 3, "10m"));
        RuleChange v3 = version(3, seconds(210), burst("active", 3, "10m"));
        RuleChange v4 = version(4, seconds(270), burst("shadow", 3, "10m"));
        RuleChange v5 = version(5, seconds(700), burst("active", 3, "10m"));
        harness.apply(v1);
        payments("p", T0, seconds(60), seconds(120)); // active alert at 120 s
        harness.apply(v2);
        harness.send(payment("p3", seconds(180))); // shadow alert: its own suppression
        harness.apply(v3);
        harness.send(payment("p4", seconds(240))); // active: within 10 min of 120 s
        harness.apply(v4);
        harness.send(payment("p5", seconds(300))); // shadow: within 10 min of 180 s
        harness.apply(v5);
        harness.send(payment("p6", seconds(720))); // active: 10 min after 120 s

        List<Alert> alerts = harness.alerts();
        assertThat(alerts).hasSize(2);
        assertAlert(alerts.get(0), v1, seconds(120), "p0", "p1", "p2");
        // The window (120 s, 720 s]: p2 at 120 s is out of it.
        assertAlert(alerts.get(1), v5, seconds(720), "p3", "p4", "p5", "p6");
        assertThat(harness.shadowAlerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, v2, seconds(180), "p0", "p1", "p2", "p3"));
    }

    @Test
    void aReEnabledRuleJudgesItsWindowWithTheEventsSeenWhileItWasDisabled() throws Exception {
        RuleChange enabled = version(1, FROM_THE_START, burst("active", 3, "5m"));
        RuleChange disabled = version(2, seconds(60), burstDisabled());
        RuleChange reEnabled = version(3, seconds(240), burst("active", 3, "5m"));
        harness.apply(enabled);
        harness.send(payment("p0", T0));
        harness.apply(disabled);
        // The enabled version would have triggered at p2 and p3.
        harness.send(payment("p1", seconds(120)));
        harness.send(payment("p2", seconds(180)));
        harness.send(payment("p3", seconds(210)));
        assertThat(harness.alerts()).isEmpty();
        assertThat(harness.keptEventIds(USER)).containsExactly("p0", "p1", "p2", "p3");

        harness.apply(reEnabled);
        harness.send(payment("p4", seconds(270)));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a -> assertAlert(a, reEnabled, seconds(270), "p0", "p1", "p2", "p3", "p4"));
        // The same rule as before it was disabled: the same hash, another version.
        assertThat(hashOf(harness.alerts().get(0).patternVersion()))
                .isEqualTo(hashOf(patternVersion(enabled)));
    }

    // ---- instants -----------------------------------------------------------------------------

    @Test
    void anEventAtTheVersionsVeryInstantIsJudgedByIt() throws Exception {
        RuleChange atLeastTen = version(1, FROM_THE_START, burst(10));
        RuleChange atLeastThree = version(2, seconds(120), burst(3));
        harness.apply(atLeastTen);
        payments("p", T0, seconds(60));
        harness.apply(atLeastThree);

        harness.send(payment("p2", seconds(120)));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, atLeastThree, seconds(120), "p0", "p1", "p2"));
    }

    @Test
    void eventsReleasedInOneWatermarkStepAreJudgedByTheVersionInForceAtEachEvent()
            throws Exception {
        RuleChange atLeastFive = version(1, FROM_THE_START, burst(5));
        RuleChange atLeastThree = version(2, seconds(150), burst(3));
        harness.apply(atLeastFive);
        harness.add(payment("p0", T0));
        harness.add(payment("p1", seconds(60)));
        harness.add(payment("p2", seconds(120)));
        harness.add(payment("p3", seconds(180)));
        harness.apply(atLeastThree);

        harness.watermark(seconds(180));

        // p2, before the instant, is judged by the old version (no trigger), p3 by the new one.
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, atLeastThree, seconds(180), "p0", "p1", "p2", "p3"));
    }

    @Test
    void aTriggerBeforeTheInstantInOneWatermarkStepIsJudgedByTheOldVersion() throws Exception {
        RuleChange oneMinute = version(1, FROM_THE_START, burst("active", 3, "1m"));
        RuleChange retired = version(2, seconds(150), burstDisabled());
        harness.apply(oneMinute);
        harness.add(payment("p0", T0));
        harness.add(payment("p1", seconds(20)));
        harness.add(payment("p2", seconds(40)));
        harness.add(payment("p3", seconds(160)));
        harness.add(payment("p4", seconds(170)));
        harness.add(payment("p5", seconds(180)));
        harness.apply(retired);

        harness.watermark(seconds(180));

        // The old version would have alerted again at p5, past its suppression.
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, oneMinute, seconds(40), "p0", "p1", "p2"));
    }

    // ---- absence -------------------------------------------------------------------------------

    @Test
    void anAbsenceVersionArrivingAfterThePresentEventAlertsWhenTheWatermarkPassesItsDeadline()
            throws Exception {
        RuleChange quiet = version(1, seconds(60), quietAfterPayee("10m"));
        harness.send(payeeAdded("payee", T0));
        harness.apply(quiet);

        harness.watermark(minutes(10));

        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, quiet, minutes(10), "payee"));
    }

    @Test
    void aShortenedAbsencePeriodAlertsAtItsOwnDeadlineNotAtTheOldOne() throws Exception {
        RuleChange thirtyMinutes = version(1, FROM_THE_START, quietAfterPayee("30m"));
        RuleChange tenMinutes = version(2, seconds(60), quietAfterPayee("10m"));
        harness.apply(thirtyMinutes);
        harness.send(payeeAdded("payee", T0));
        harness.apply(tenMinutes);

        harness.watermark(minutes(10));
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, tenMinutes, minutes(10), "payee"));

        harness.watermark(minutes(40));
        assertThat(harness.alerts()).hasSize(1);
        // Never behind the watermark: no alert follows a watermark past its detectedAt.
        assertThat(harness.outputInOrder())
                .containsSubsequence(
                        "alert@" + minutes(10).toEpochMilli(),
                        "wm@" + minutes(10).toEpochMilli(),
                        "wm@" + minutes(40).toEpochMilli());
    }

    @Test
    void aLengthenedAbsencePeriodAlertsAtItsOwnDeadlineOnly() throws Exception {
        RuleChange tenMinutes = version(1, FROM_THE_START, quietAfterPayee("10m"));
        RuleChange thirtyMinutes = version(2, minutes(5), quietAfterPayee("30m"));
        harness.apply(tenMinutes);
        harness.send(payeeAdded("payee", T0));
        harness.apply(thirtyMinutes);

        harness.watermark(minutes(10));
        assertThat(harness.alerts()).isEmpty();

        harness.watermark(minutes(30));
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(a -> assertAlert(a, thirtyMinutes, minutes(30), "payee"));
    }

    @Test
    void aRuleDisabledBeforeAnAbsenceDeadlineDoesNotAlertAtIt() throws Exception {
        harness.apply(version(1, FROM_THE_START, quietAfterPayee("10m")));
        harness.send(payeeAdded("payee", T0));
        harness.apply(version(2, minutes(5), quietAfterPayee("disabled", "10m")));

        harness.watermark(minutes(60));

        assertThat(harness.alerts()).isEmpty();
    }

    // ---- state ---------------------------------------------------------------------------------

    @Test
    void aDisabledRulesEventsAreKeptForTheHorizonThenNoStateOrTimerOfTheRulesRemains()
            throws Exception {
        harness.apply(version(1, FROM_THE_START, burst(3)));
        payments("p", T0, seconds(60), seconds(120));
        assertThat(harness.alerts()).hasSize(1);
        harness.apply(version(2, seconds(150), burstDisabled()));
        harness.send(payment("p3", seconds(180)));

        // Any version to come may judge a window reaching back to them.
        harness.watermark(minutes(60));
        assertThat(harness.keptEventIds(USER)).containsExactly("p0", "p1", "p2", "p3");

        harness.watermark(seconds(180).plus(DetectionHarness.horizon()).plusSeconds(120));

        assertThat(harness.usersWithRuleState()).isEmpty();
        assertThat(harness.eventTimeTimers()).isZero();
        // The enrichment's profile alone (prior events, last event time): never the rules'.
        assertThat(harness.keyedStateEntries()).isEqualTo(1);
        assertThat(harness.alerts()).hasSize(1);
    }

    @Test
    void aRuleChangedManyTimesJudgesWithItsLatestVersionsOnceTheOldOnesAreDropped()
            throws Exception {
        // Ten versions a minute apart, each its own rule (its own window): nine are superseded.
        RuleChange[] versions = new RuleChange[10];
        for (int i = 0; i < 10; i++) {
            Instant from = i == 0 ? FROM_THE_START : minutes(i);
            versions[i] = version(i + 1, from, burst("active", 5, (10 + i) + "m"));
            harness.apply(versions[i]);
        }
        payments("p", seconds(10), seconds(20), seconds(30), seconds(40));
        // A day later the superseded versions can judge nothing any more and are dropped; r0
        // and r1 were judged, and kept, before that.
        Instant dayLater = T0.plus(DetectionHarness.horizon());
        harness.send(payment("r0", dayLater.plusSeconds(600)));
        harness.send(payment("r1", dayLater.plusSeconds(660)));
        harness.send(payment("r2", dayLater.plusSeconds(720)));
        harness.send(payment("r3", dayLater.plusSeconds(780)));
        harness.send(payment("r4", dayLater.plusSeconds(840)));

        RuleChange latest = versions[9];
        assertThat(harness.alerts())
                .singleElement()
                .satisfies(
                        a ->
                                assertAlert(
                                        a,
                                        latest,
                                        dayLater.plusSeconds(840),
                                        "r0",
                                        "r1",
                                        "r2",
                                        "r3",
                                        "r4"));

        // A version after the drop: its own bits, judged with the others'.
        RuleChange afterDrop = version(11, dayLater.plusSeconds(900), burst("active", 2, "1m"));
        harness.apply(afterDrop);
        harness.send(payment("r5", dayLater.plusSeconds(1200)));
        harness.send(payment("r6", dayLater.plusSeconds(1230)));

        assertThat(harness.alerts()).hasSize(2);
        assertAlert(harness.alerts().get(1), afterDrop, dayLater.plusSeconds(1230), "r5", "r6");
    }
}
