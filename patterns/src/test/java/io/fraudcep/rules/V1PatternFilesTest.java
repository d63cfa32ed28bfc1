package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.alert.Severity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A version 1 pattern file keeps working: its patterns become the default rules with its settings,
 * with a warning; what cannot be converted is an error that says how to convert by hand.
 */
class V1PatternFilesTest {

    private static final String HEADER = "version: \"1\"\npatterns:\n";

    @Test
    void theSettingsOfAV1FileApplyToTheDefaultRules() {
        RuleSet rules =
                V1PatternFiles.convert(
                        HEADER
                                + "  - id: CARD_TESTING\n"
                                + "    enabled: true\n"
                                + "    severity: CRITICAL\n"
                                + "    window: 20m\n"
                                + "    parameters:\n"
                                + "      minSmallPayments: 5\n"
                                + "      smallBelow: \"2.50\"\n"
                                + "  - id: DORMANT_ACCOUNT\n"
                                + "    enabled: false\n"
                                + "    parameters:\n"
                                + "      minDormancy: 30d\n",
                        "old.yaml");

        Rule cardTesting = rules.rule("CARD_TESTING");
        assertThat(cardTesting.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(cardTesting.window()).isEqualTo(Duration.ofMinutes(20));
        assertThat(cardTesting.mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(cardTesting.params().get("minSmallPayments")).isEqualTo(ParamValue.integer(5));
        assertThat(cardTesting.params().get("smallBelow"))
                .isEqualTo(ParamValue.decimal(new BigDecimal("2.50")));
        assertThat(cardTesting.params().get("largeAtLeast").text()).isEqualTo("500.00");
        assertThat(cardTesting.steps().get(0).times())
                .as("times: $minSmallPayments+ follows the parameter")
                .isEqualTo(new Quantifier(5, Quantifier.UNBOUNDED));
        assertThat(cardTesting.version()).isEqualTo("1");

        Rule dormant = rules.rule("DORMANT_ACCOUNT");
        assertThat(dormant.mode()).isEqualTo(RuleMode.DISABLED);
        assertThat(dormant.severity()).isEqualTo(Severity.HIGH);
        assertThat(dormant.params().get("minDormancy"))
                .isEqualTo(ParamValue.duration(Duration.ofDays(30), "30d"));
        assertThat(rules.rules()).as("unlisted patterns do not run, as in v1").hasSize(2);
    }

    @Test
    void aPatternWithATypeBecomesACopyOfThatRuleUnderItsOwnId() {
        RuleSet rules =
                V1PatternFiles.convert(
                        HEADER
                                + "  - id: FAST_VELOCITY\n"
                                + "    type: VELOCITY\n"
                                + "    window: 1m\n"
                                + "    parameters:\n"
                                + "      minTransactions: 4\n",
                        "old.yaml");

        Rule fast = rules.rule("FAST_VELOCITY");
        assertThat(fast.steps()).hasSize(1);
        assertThat(fast.steps().get(0).times()).isEqualTo(new Quantifier(4, Quantifier.UNBOUNDED));
        assertThat(fast.steps().get(0).types())
                .isEqualTo(RuleFiles.defaults().rule("VELOCITY").steps().get(0).types());
        assertThat(fast.window()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void readingAV1FileSaysItWasConverted() {
        Path v1 = Path.of("src/test/resources/rules/v1-patterns-default.yaml");

        LoadedRules loaded = RuleFiles.read(v1);

        assertThat(loaded.ruleSet().rules()).hasSize(9);
        assertThat(loaded.warnings())
                .containsExactly(
                        v1
                                + ": a version 1 pattern file, read as 9 default rules of"
                                + " rules-default.yaml with its enabled, severity, window and"
                                + " parameters; write it as a version 2 rule file (rules.md) to"
                                + " drop this warning");
    }

    @Test
    void anUnknownPatternSaysHowToConvertByHand() {
        assertThatThrownBy(
                        () ->
                                V1PatternFiles.convert(
                                        HEADER + "  - id: GEO_FENCE\n    enabled: true\n",
                                        "old.yaml"))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(
                        "old.yaml:3: rule GEO_FENCE, field id: version 1 had no pattern GEO_FENCE"
                                + " (it knew BRUTE_FORCE_LOGIN, ACCOUNT_TAKEOVER, CARD_TESTING,"
                                + " IMPOSSIBLE_TRAVEL, VELOCITY, STRUCTURING, MONEY_MULE,"
                                + " DORMANT_ACCOUNT, NEW_PAYEE_DRAIN), so there is no default"
                                + " rule to convert it from; convert the file by hand: write"
                                + " version: \"2\" and rules:, copy the closest rule of"
                                + " rules-default.yaml, give it this id and set its params"
                                + " (rules.md)");
    }

    @Test
    void wrongParametersAreReportedAgainstTheDefaultRule() {
        assertThatThrownBy(
                        () ->
                                V1PatternFiles.convert(
                                        HEADER
                                                + "  - id: MONEY_MULE\n"
                                                + "    enabled: maybe\n"
                                                + "    parameters:\n"
                                                + "      ratio: 0.5\n"
                                                + "      minTransferIn: lots\n"
                                                + "  - id: DORMANT_ACCOUNT\n"
                                                + "    parameters:\n"
                                                + "      minDormancy: soon\n"
                                                + "    colour: red\n",
                                        "old.yaml"))
                .hasMessage(
                        String.join(
                                "\n",
                                "old.yaml:4: rule MONEY_MULE, field enabled: expected true or"
                                        + " false, found 'maybe'",
                                "old.yaml:6: rule MONEY_MULE, field parameters.ratio: unknown"
                                        + " parameter of MONEY_MULE (known: minTransferIn,"
                                        + " passThroughRatio)",
                                "old.yaml:7: rule MONEY_MULE, field parameters.minTransferIn:"
                                        + " expected a decimal number like 5.00, found 'lots'",
                                "old.yaml:10: rule DORMANT_ACCOUNT, field parameters.minDormancy:"
                                        + " expected a duration like 250ms, 30s, 10m, 6h, 90d or"
                                        + " PT10M, not 'soon'",
                                "old.yaml:11: rule DORMANT_ACCOUNT, field colour: unknown key"
                                        + " 'colour' (allowed in a version 1 pattern: id, type,"
                                        + " enabled, severity, window, parameters)"));
    }

    @Test
    void settingsTheRulesRejectAreReportedAtTheirV1Line() {
        assertThatThrownBy(
                        () ->
                                V1PatternFiles.convert(
                                        HEADER
                                                + "  - id: VELOCITY\n"
                                                + "    severity: URGENT\n"
                                                + "    window: 0s\n",
                                        "old.yaml"))
                .hasMessage(
                        "old.yaml:4: rule VELOCITY, field severity: expected LOW, MEDIUM, HIGH or"
                                + " CRITICAL, found 'URGENT'\n"
                                + "old.yaml:5: rule VELOCITY, field window: expected a positive"
                                + " duration, not '0s'");
    }

    @Test
    void aVersion2FileIsNotAV1File() {
        assertThatThrownBy(() -> V1PatternFiles.convert("version: \"2\"\nrules: []\n", "new.yaml"))
                .hasMessage(
                        "new.yaml:1: not a version 1 pattern file (version \"1\" with a patterns"
                                + " list)");
    }
}
