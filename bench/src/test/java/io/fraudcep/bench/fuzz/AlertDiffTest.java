package io.fraudcep.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertIds;
import io.fraudcep.alert.Severity;
import io.fraudcep.bench.fuzz.AlertDiff.Kind;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.fuzz.RefAlert;
import io.fraudcep.sampledata.fuzz.rules.RefRuleAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The comparison of the differential tests: a pipeline alert at the trigger the reference demands,
 * with the same match, still differs when a rule history says another version judged it, and the
 * report then shows the rule's versions with the ones in force marked.
 */
class AlertDiffTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String USER = "u-1";
    private static final List<String> EVENTS = List.of("e-1", "e-2");

    private static Rule velocity(String version, String window) {
        return RuleFiles.parse(
                        """
                        version: "%s"
                        rules:
                          - id: VELO
                            severity: MEDIUM
                            window: %s
                            steps:
                              - name: payments
                                type: CARD_PAYMENT
                                times: 2+
                        """
                                .formatted(version, window),
                        "rules.yaml")
                .rules()
                .get(0);
    }

    private static final Rule FILE_VERSION = velocity("0", "10m");
    private static final Rule TOPIC_VERSION = velocity("1", "30m");

    /** The file's 10 min window, then version 1 (30 min) from T0 + 1 h. */
    private static final RuleHistory HISTORY =
            new RuleHistory(
                    new RuleSet("0", List.of(FILE_VERSION)),
                    List.of(
                            new RuleVersion(
                                    "VELO", 1, T0.plus(Duration.ofHours(1)), TOPIC_VERSION)));

    /** Two payments 5 min apart, the second after version 1 took effect. */
    private static final Instant START = T0.plus(Duration.ofMinutes(58));

    private static final Instant TRIGGER = T0.plus(Duration.ofMinutes(63));

    private static RefRuleAlert demanded(Rule judge) {
        return new RefRuleAlert(
                "VELO",
                USER,
                START,
                TRIGGER,
                EVENTS,
                RuleMode.ACTIVE,
                RuleCanonical.patternVersion(judge));
    }

    private static Alert given(Rule judge) {
        return new Alert(
                AlertIds.of("VELO", USER, EVENTS),
                "VELO",
                RuleCanonical.patternVersion(judge),
                Severity.MEDIUM,
                USER,
                START,
                TRIGGER,
                EVENTS,
                "2 card payments",
                List.of());
    }

    @Test
    void anAlertJudgedByTheVersionInForceIsNoDifference() {
        AlertDiff diff =
                AlertDiff.compareRuleAlerts(
                        List.of(demanded(TOPIC_VERSION)), List.of(given(TOPIC_VERSION)));

        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void theSameMatchJudgedByTheVersionBeforeIsAnotherVersionAndTheReportShowsBoth() {
        AlertDiff diff =
                AlertDiff.compareRuleAlerts(
                        List.of(demanded(TOPIC_VERSION)), List.of(given(FILE_VERSION)));

        assertThat(diff.differences())
                .singleElement()
                .extracting(AlertDiff.Difference::kind)
                .isEqualTo(Kind.OTHER_VERSION);
        String report = diff.report(5, 10, List.of(), HISTORY);
        assertThat(report)
                .contains("OTHER_VERSION")
                .contains("version " + RuleCanonical.patternVersion(TOPIC_VERSION))
                .contains("version " + RuleCanonical.patternVersion(FILE_VERSION))
                .contains(
                        "v0 rule file active window 10m "
                                + RuleCanonical.patternVersion(FILE_VERSION)
                                + "  <- in force at the window start")
                .contains(
                        "v1 from 2026-01-01T01:00:00Z active window 30m "
                                + RuleCanonical.patternVersion(TOPIC_VERSION)
                                + "  <- in force at the trigger");
    }

    @Test
    void anAlertOnTheWrongOutputIsMissingFromOneAndUnexpectedOnTheOther() {
        AlertDiff active = AlertDiff.compareRuleAlerts(List.of(demanded(TOPIC_VERSION)), List.of());
        AlertDiff shadow = AlertDiff.compareRuleAlerts(List.of(), List.of(given(TOPIC_VERSION)));

        assertThat(active.differences())
                .extracting(AlertDiff.Difference::kind)
                .containsExactly(Kind.MISSING);
        assertThat(shadow.differences())
                .extracting(AlertDiff.Difference::kind)
                .containsExactly(Kind.UNEXPECTED);
    }

    @Test
    void theDefaultRulesContractNamesNoVersionAndComparesNone() {
        RefAlert contract = new RefAlert(USER, "VELO", START, TRIGGER, EVENTS);

        assertThat(AlertDiff.compare(List.of(contract), List.of(given(FILE_VERSION))).isEmpty())
                .isTrue();
    }
}
