package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The plain English a reviewer signs off, for rules of each shape. */
class RuleExplainerTest {

    @Test
    void cardTesting() {
        assertThat(RuleExplainer.explain(RuleFiles.defaults().rule("CARD_TESTING")))
                .isEqualTo(
                        "CARD_TESTING (HIGH, active): fires on a CARD_PAYMENT with amount >="
                                + " 500.00 [largeAtLeast] that follows at least 3"
                                + " [minSmallPayments] CARD_PAYMENTs each with amount < 5.00"
                                + " [smallBelow], the first of them less than 15 minutes before"
                                + " it. At most one alert per user every 15 minutes.");
    }

    @Test
    void moneyMuleTriggersOnTheLastOfARepeatedStepWithAHaving() {
        assertThat(RuleExplainer.explain(RuleFiles.defaults().rule("MONEY_MULE")))
                .isEqualTo(
                        "MONEY_MULE (HIGH, active): fires on the last of one or more TRANSFER_OUTs"
                                + " or WITHDRAWALs such that sum(out.amount) >= 0.80"
                                + " [passThroughRatio] * in.amount, that follow a TRANSFER_IN"
                                + " with amount >= 2000.00 [minTransferIn], less than 2 hours"
                                + " before it. At most one alert per user every 2 hours.");
    }

    @Test
    void threeStepsAndAListOfTypes() {
        assertThat(RuleExplainer.explain(RuleFiles.defaults().rule("ACCOUNT_TAKEOVER")))
                .isEqualTo(
                        "ACCOUNT_TAKEOVER (CRITICAL, active): fires on a TRANSFER_OUT with amount"
                                + " >= 1000.00 [minAmount] that follows a PASSWORD_CHANGE,"
                                + " EMAIL_CHANGE, PHONE_CHANGE or MFA_DISABLED, which follows a"
                                + " LOGIN_SUCCESS with newDevice, the first event less than 30"
                                + " minutes before the last. At most one alert per user every 30"
                                + " minutes.");
    }

    @Test
    void anAbsenceBetweenTwoSteps() {
        assertThat(RuleExplainer.explain(RuleFiles.defaults().rule("IMPOSSIBLE_TRAVEL")))
                .isEqualTo(
                        "IMPOSSIBLE_TRAVEL (MEDIUM, active): fires on a LOGIN_SUCCESS with"
                                + " hasCoordinates and distanceKm(earlier, later) >= 500.0"
                                + " [minDistanceKm] and speedKmh(earlier, later) > 1000.0"
                                + " [minSpeedKmh] that follows a LOGIN_SUCCESS with"
                                + " hasCoordinates, less than 6 hours before it. No LOGIN_SUCCESS"
                                + " with hasCoordinates comes between steps earlier and later. At"
                                + " most one alert per user every 6 hours.");
    }

    @Test
    void aDeadlineAbsenceFiresAfterItsPeriod() {
        assertThat(RuleExplainer.explain(RuleFiles.examples().rule("UNREMEDIATED_TAKEOVER")))
                .isEqualTo(
                        "UNREMEDIATED_TAKEOVER (CRITICAL, disabled): fires 1 hour after an"
                                + " MFA_DISABLED that follows a LOGIN_SUCCESS with newDevice,"
                                + " less than 1 hour before it, if no LOGIN_SUCCESS with not"
                                + " newDevice comes in between. At most one alert per user every"
                                + " hour. Disabled: it is not evaluated.");
    }

    @Test
    void aStrictStepIsTheNextEvent() {
        assertThat(RuleExplainer.explain(RuleFiles.examples().rule("NEW_DEVICE_PAYEE")))
                .isEqualTo(
                        "NEW_DEVICE_PAYEE (MEDIUM, disabled): fires on a PAYEE_ADDED that is the"
                                + " user's next event after a LOGIN_SUCCESS with newDevice, less"
                                + " than 5 minutes before it. At most one alert per user every 5"
                                + " minutes. Disabled: it is not evaluated.");
    }

    @Test
    void aSingleRepeatedStepInShadowMode() {
        Rule velocity = RuleFiles.defaults().rule("VELOCITY").withMode(RuleMode.SHADOW);

        assertThat(RuleExplainer.explain(velocity))
                .isEqualTo(
                        "VELOCITY (MEDIUM, shadow): fires on the last of at least 10"
                                + " [minTransactions] CARD_PAYMENTs, TRANSFER_OUTs or"
                                + " WITHDRAWALs, the first of them less than 5 minutes before"
                                + " it. At most one alert per user every 5 minutes. Shadow mode:"
                                + " its alerts go to the shadow topic only.");
    }

    @Test
    void durationAndTextParamsAndRanges() {
        Rule rule =
                RuleFiles.parse(
                                "version: \"2\"\n"
                                        + "rules:\n"
                                        + "  - id: QUIET_THEN_BURST\n"
                                        + "    severity: LOW\n"
                                        + "    window: 24h\n"
                                        + "    params:\n"
                                        + "      quiet: 30d\n"
                                        + "      home: FR\n"
                                        + "    steps:\n"
                                        + "      - name: login\n"
                                        + "        type: LOGIN_SUCCESS\n"
                                        + "        where: sincePreviousEvent >= $quiet and"
                                        + " country != $home\n"
                                        + "      - name: cash\n"
                                        + "        type: WITHDRAWAL\n"
                                        + "        times: 2..4\n",
                                "q.yaml")
                        .rules()
                        .get(0);

        assertThat(RuleExplainer.explain(rule))
                .isEqualTo(
                        "QUIET_THEN_BURST (LOW, active): fires on the last of between 2 and 4"
                                + " WITHDRAWALs that follow a LOGIN_SUCCESS with"
                                + " sincePreviousEvent >= 30d [quiet] and country != 'FR' [home],"
                                + " less than 1 day before it. At most one alert per user every"
                                + " day.");
    }
}
