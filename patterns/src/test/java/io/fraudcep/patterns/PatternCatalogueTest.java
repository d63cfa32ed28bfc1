package io.fraudcep.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.alert.Severity;
import io.fraudcep.model.Money;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pattern catalogue: the shipped defaults are patterns.md's table, a bad configuration fails at
 * start-up with a message naming the pattern and the parameter, and {@code patternVersion} follows
 * the parameters in force.
 */
class PatternCatalogueTest {

    private static final String SOURCE = "test-patterns.yaml";

    private static String defaultYaml() throws IOException {
        try (InputStream in =
                PatternCatalogue.class.getResourceAsStream("/patterns-default.yaml")) {
            assertThat(in).as("patterns-default.yaml on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, PatternConfig> byId(PatternCatalogue catalogue) {
        Map<String, PatternConfig> byId = new LinkedHashMap<>();
        for (PatternConfig c : catalogue.configs()) {
            byId.put(c.id(), c);
        }
        return byId;
    }

    private static Map<String, String> versions(PatternCatalogue catalogue) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (PatternConfig c : catalogue.configs()) {
            versions.put(c.id(), c.version());
        }
        return versions;
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("'%s' in the YAML", target).isNotNegative();
        assertThat(text.indexOf(target, at + 1)).as("'%s' only once", target).isNegative();
        return text.replace(target, replacement);
    }

    /** A file with one VELOCITY pattern whose body lines are given (indented by the caller). */
    private static String velocityYaml(String body) {
        return "version: \"1\"\npatterns:\n  - id: VELOCITY\n" + body;
    }

    // ---- The defaults are patterns.md -----------------------------------------------------

    @Test
    void defaultsListTheNinePatternsOfPatternsMdInItsOrderAllEnabled() {
        PatternCatalogue defaults = PatternCatalogue.defaults();

        assertThat(defaults.configs())
                .extracting(PatternConfig::id)
                .containsExactly(
                        "BRUTE_FORCE_LOGIN",
                        "ACCOUNT_TAKEOVER",
                        "CARD_TESTING",
                        "IMPOSSIBLE_TRAVEL",
                        "VELOCITY",
                        "STRUCTURING",
                        "MONEY_MULE",
                        "DORMANT_ACCOUNT",
                        "NEW_PAYEE_DRAIN");
        assertThat(defaults.configs()).allMatch(PatternConfig::enabled);
        assertThat(defaults.enabledPatterns()).hasSize(9);
        assertThat(defaults.alertPolicies()).hasSize(9);
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @CsvSource({
        "BRUTE_FORCE_LOGIN, MEDIUM, PT10M",
        "ACCOUNT_TAKEOVER, CRITICAL, PT30M",
        "CARD_TESTING, HIGH, PT15M",
        "IMPOSSIBLE_TRAVEL, MEDIUM, PT6H",
        "VELOCITY, MEDIUM, PT5M",
        "STRUCTURING, HIGH, PT24H",
        "MONEY_MULE, HIGH, PT2H",
        "DORMANT_ACCOUNT, HIGH, PT1H",
        "NEW_PAYEE_DRAIN, HIGH, PT10M"
    })
    void defaultSeverityAndWindowAreThoseOfPatternsMd(
            String id, Severity severity, Duration window) {
        PatternConfig config = byId(PatternCatalogue.defaults()).get(id);

        assertThat(config.severity()).isEqualTo(severity);
        assertThat(config.window()).isEqualTo(window);
        assertThat(config.type()).isEqualTo(id);
        assertThat(config.alertPolicy().window()).isEqualTo(window);
        assertThat(config.alertPolicy().severity()).isEqualTo(severity);
    }

    @Test
    void defaultParametersAreThoseOfPatternsMd() {
        Map<String, PatternConfig> d = byId(PatternCatalogue.defaults());

        assertThat(d.get("BRUTE_FORCE_LOGIN").parameters()).containsOnlyKeys("minFailures");
        assertThat(d.get("BRUTE_FORCE_LOGIN").count("minFailures")).isEqualTo(5);

        assertThat(d.get("ACCOUNT_TAKEOVER").parameters()).containsOnlyKeys("minAmount");
        assertThat(d.get("ACCOUNT_TAKEOVER").moneyCents("minAmount")).isEqualTo(1000_00);

        assertThat(d.get("CARD_TESTING").parameters())
                .containsOnlyKeys("minSmallPayments", "smallBelow", "largeAtLeast");
        assertThat(d.get("CARD_TESTING").count("minSmallPayments")).isEqualTo(3);
        assertThat(d.get("CARD_TESTING").moneyCents("smallBelow")).isEqualTo(5_00);
        assertThat(d.get("CARD_TESTING").moneyCents("largeAtLeast")).isEqualTo(500_00);

        assertThat(d.get("IMPOSSIBLE_TRAVEL").parameters())
                .containsOnlyKeys("minDistanceKm", "minSpeedKmh");
        assertThat(d.get("IMPOSSIBLE_TRAVEL").decimal("minDistanceKm")).isEqualByComparingTo("500");
        assertThat(d.get("IMPOSSIBLE_TRAVEL").decimal("minSpeedKmh")).isEqualByComparingTo("1000");

        assertThat(d.get("VELOCITY").parameters()).containsOnlyKeys("minTransactions");
        assertThat(d.get("VELOCITY").count("minTransactions")).isEqualTo(10);

        assertThat(d.get("STRUCTURING").parameters())
                .containsOnlyKeys("minDeposits", "minAmount", "maxAmount");
        assertThat(d.get("STRUCTURING").count("minDeposits")).isEqualTo(3);
        assertThat(d.get("STRUCTURING").moneyCents("minAmount")).isEqualTo(9000_00);
        assertThat(d.get("STRUCTURING").moneyCents("maxAmount")).isEqualTo(10000_00);

        assertThat(d.get("MONEY_MULE").parameters())
                .containsOnlyKeys("minTransferIn", "passThroughRatio");
        assertThat(d.get("MONEY_MULE").moneyCents("minTransferIn")).isEqualTo(2000_00);
        assertThat(d.get("MONEY_MULE").decimal("passThroughRatio")).isEqualByComparingTo("0.80");

        assertThat(d.get("DORMANT_ACCOUNT").parameters())
                .containsOnlyKeys("minDormancy", "minAmount");
        assertThat(d.get("DORMANT_ACCOUNT").duration("minDormancy")).isEqualTo(Duration.ofDays(90));
        assertThat(d.get("DORMANT_ACCOUNT").moneyCents("minAmount")).isEqualTo(1000_00);

        assertThat(d.get("NEW_PAYEE_DRAIN").parameters()).containsOnlyKeys("minAmount");
        assertThat(d.get("NEW_PAYEE_DRAIN").moneyCents("minAmount")).isEqualTo(5000_00);
    }

    @Test
    void shippedFileAgreesWithTheDefaultsEveryPatternTypeDeclares() {
        Map<String, PatternConfig> shipped = byId(PatternCatalogue.defaults());

        assertThat(PatternCatalogue.DEFINITIONS).hasSize(9);
        for (PatternDefinition definition : PatternCatalogue.DEFINITIONS) {
            PatternConfig config = shipped.get(definition.type());
            assertThat(config).as(definition.type()).isNotNull();
            assertThat(config.severity()).as(definition.type()).isEqualTo(definition.severity());
            assertThat(config.window()).as(definition.type()).isEqualTo(definition.window());
            List<String> names = new ArrayList<>();
            for (ParameterSpec spec : definition.parameters()) {
                names.add(spec.name());
                String at = definition.type() + "." + spec.name();
                switch (spec.type()) {
                    case COUNT:
                        assertThat(config.count(spec.name()))
                                .as(at)
                                .isEqualTo(Long.parseLong(spec.defaultValue()));
                        break;
                    case MONEY:
                        assertThat(config.moneyCents(spec.name()))
                                .as(at)
                                .isEqualTo(Money.parseCents(spec.defaultValue()));
                        break;
                    case DECIMAL:
                        assertThat(config.decimal(spec.name()))
                                .as(at)
                                .isEqualByComparingTo(spec.defaultValue());
                        break;
                    default:
                        assertThat(config.duration(spec.name()))
                                .as(at)
                                .isEqualTo(ParameterSpec.parseDuration(spec.defaultValue()));
                }
            }
            assertThat(config.parameters().keySet())
                    .as(definition.type())
                    .containsExactlyInAnyOrderElementsOf(names);
        }
    }

    @Test
    void onlyEnablesTheNamedPatternsAndKeepsTheirVersions() {
        PatternCatalogue defaults = PatternCatalogue.defaults();
        PatternCatalogue only = defaults.only("VELOCITY");

        assertThat(only.enabledPatterns()).extracting(FraudPattern::id).containsExactly("VELOCITY");
        assertThat(only.alertPolicies())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.patternId()).isEqualTo("VELOCITY");
                            assertThat(p.version())
                                    .isEqualTo(byId(defaults).get("VELOCITY").version());
                        });
    }

    @Test
    void disabledPatternIsConfiguredButDoesNotRun() throws IOException {
        String yaml =
                replaceOnce(
                        defaultYaml(),
                        "  - id: VELOCITY\n    enabled: true",
                        "  - id: VELOCITY\n    enabled: false");

        PatternCatalogue catalogue = PatternCatalogue.parse(yaml, SOURCE);

        assertThat(catalogue.configs()).hasSize(9);
        assertThat(catalogue.enabledPatterns())
                .extracting(FraudPattern::id)
                .hasSize(8)
                .doesNotContain("VELOCITY");
    }

    // ---- A bad configuration fails, naming the pattern and the parameter -------------------

    @Test
    void unknownPatternFailsNamingIt() {
        String yaml =
                "version: \"1\"\npatterns:\n  - id: VELOCITI\n    window: 5m\n"
                        + "    parameters:\n      minTransactions: 10\n";

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("VELOCITI");
    }

    @Test
    void unknownParameterFailsNamingThePatternAndTheParameter() {
        String yaml =
                velocityYaml(
                        "    parameters:\n      minTransactions: 10\n      maxTransactions: 20\n");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("maxTransactions");
    }

    @Test
    void missingParameterFailsNamingThePatternAndTheParameter() throws IOException {
        String yaml = replaceOnce(defaultYaml(), "      minSmallPayments: 3\n", "");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CARD_TESTING")
                .hasMessageContaining("minSmallPayments");
    }

    @Test
    void patternWithoutAnyParametersFailsNamingTheMissingOne() {
        String yaml = velocityYaml("    window: 5m\n");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("minTransactions");
    }

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "BRUTE_FORCE_LOGIN | minFailures | \"five\"",
                "BRUTE_FORCE_LOGIN | minFailures | 2.5",
                "BRUTE_FORCE_LOGIN | minFailures | true",
                "BRUTE_FORCE_LOGIN | minFailures | [5]",
                "BRUTE_FORCE_LOGIN | minFailures | 0",
                "BRUTE_FORCE_LOGIN | minFailures | -5",
                "ACCOUNT_TAKEOVER | minAmount | \"1000.001\"",
                "ACCOUNT_TAKEOVER | minAmount | \"a thousand\"",
                "ACCOUNT_TAKEOVER | minAmount | \"0.00\"",
                "ACCOUNT_TAKEOVER | minAmount | \"-1000.00\"",
                "IMPOSSIBLE_TRAVEL | minDistanceKm | \"far\"",
                "IMPOSSIBLE_TRAVEL | minSpeedKmh | 0",
                "MONEY_MULE | passThroughRatio | -0.80",
                "MONEY_MULE | passThroughRatio | \"most\"",
                "DORMANT_ACCOUNT | minDormancy | \"ninety days\"",
                "DORMANT_ACCOUNT | minDormancy | 0d",
                "DORMANT_ACCOUNT | minDormancy | 90",
            })
    void parameterOfTheWrongTypeOrNotPositiveFailsNamingThePatternAndTheParameter(
            String pattern, String parameter, String value) throws IOException {
        String yaml = withParameter(defaultYaml(), pattern, parameter, value);

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining(pattern)
                .hasMessageContaining(parameter);
    }

    @ParameterizedTest(name = "window {0}")
    @CsvSource({"0m", "PT0S", "-5m", "'-PT5M'", "'five minutes'"})
    void windowThatIsNotAPositiveDurationFailsNamingThePatternAndTheWindow(String window) {
        String yaml =
                velocityYaml(
                        "    window: " + window + "\n    parameters:\n      minTransactions: 10\n");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("window");
    }

    @ParameterizedTest(name = "severity {0}")
    @CsvSource({"URGENT", "medium", "''"})
    void unknownSeverityFailsNamingThePatternAndTheSeverity(String severity) {
        String yaml =
                velocityYaml(
                        "    severity: "
                                + severity
                                + "\n    parameters:\n      minTransactions: 10\n");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("severity");
    }

    @Test
    void patternDefinedTwiceFailsNamingIt() {
        String block = "  - id: VELOCITY\n    parameters:\n      minTransactions: 10\n";
        String yaml = "version: \"1\"\npatterns:\n" + block + block;

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("twice");
    }

    @Test
    void unknownKeyOfAPatternFailsNamingThePatternAndTheKey() {
        String yaml = velocityYaml("    windw: 5m\n    parameters:\n      minTransactions: 10\n");

        assertThatThrownBy(() -> PatternCatalogue.parse(yaml, SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VELOCITY")
                .hasMessageContaining("windw");
    }

    /** The default YAML with one parameter of one pattern set to {@code value}. */
    private static String withParameter(
            String yaml, String pattern, String parameter, String value) {
        int block = yaml.indexOf("  - id: " + pattern + "\n");
        assertThat(block).as(pattern).isNotNegative();
        int end = yaml.indexOf("  - id: ", block + 1);
        end = end < 0 ? yaml.length() : end;
        String body = yaml.substring(block, end);
        String key = "      " + parameter + ": ";
        int line = body.indexOf(key);
        assertThat(line).as(pattern + "." + parameter).isNotNegative();
        int eol = body.indexOf('\n', line);
        String changed = body.substring(0, line) + key + value + body.substring(eol);
        return yaml.substring(0, block) + changed + yaml.substring(end);
    }

    // ---- patternVersion follows the parameters in force -----------------------------------

    @Test
    void defaultFileParsedAgainGivesTheSameVersions() throws IOException {
        assertThat(versions(PatternCatalogue.parse(defaultYaml(), SOURCE)))
                .isEqualTo(versions(PatternCatalogue.defaults()));
        assertThat(PatternCatalogue.defaults().configs())
                .extracting(PatternConfig::version)
                .doesNotHaveDuplicates()
                .allSatisfy(v -> assertThat(v).isNotBlank());
    }

    @Test
    void changingAParameterChangesThatPatternsVersionOnly() throws IOException {
        Map<String, String> before = versions(PatternCatalogue.defaults());
        String yaml = withParameter(defaultYaml(), "VELOCITY", "minTransactions", "11");

        Map<String, String> after = versions(PatternCatalogue.parse(yaml, SOURCE));

        assertThat(after.get("VELOCITY")).isNotEqualTo(before.get("VELOCITY"));
        after.remove("VELOCITY");
        before.remove("VELOCITY");
        assertThat(after).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ACCOUNT_TAKEOVER | minAmount | \"1000.01\"",
                "CARD_TESTING | smallBelow | \"4.99\"",
                "IMPOSSIBLE_TRAVEL | minSpeedKmh | 900.0",
                "MONEY_MULE | passThroughRatio | 0.81",
                "DORMANT_ACCOUNT | minDormancy | 60d",
                "STRUCTURING | maxAmount | \"9999.00\"",
            })
    void changingAnyParameterChangesTheVersion(String pattern, String parameter, String value)
            throws IOException {
        String before = byId(PatternCatalogue.defaults()).get(pattern).version();
        String yaml = withParameter(defaultYaml(), pattern, parameter, value);

        assertThat(byId(PatternCatalogue.parse(yaml, SOURCE)).get(pattern).version())
                .isNotEqualTo(before);
    }

    @Test
    void changingTheWindowOrTheSeverityChangesTheVersion() throws IOException {
        String before = byId(PatternCatalogue.defaults()).get("VELOCITY").version();
        String longer = replaceOnce(defaultYaml(), "    window: 5m\n", "    window: 6m\n");
        String louder =
                replaceOnce(
                        defaultYaml(),
                        "  - id: VELOCITY\n    enabled: true\n    severity: MEDIUM",
                        "  - id: VELOCITY\n    enabled: true\n    severity: HIGH");

        assertThat(byId(PatternCatalogue.parse(longer, SOURCE)).get("VELOCITY").version())
                .isNotEqualTo(before);
        assertThat(byId(PatternCatalogue.parse(louder, SOURCE)).get("VELOCITY").version())
                .isNotEqualTo(before);
    }

    @Test
    void writingTheSameValuesDifferentlyKeepsTheVersions() throws IOException {
        Map<String, String> before = versions(PatternCatalogue.defaults());
        String yaml = defaultYaml();
        yaml = replaceOnce(yaml, "    window: 5m\n", "    window: PT5M\n");
        yaml = withParameter(yaml, "ACCOUNT_TAKEOVER", "minAmount", "1000");
        yaml = withParameter(yaml, "DORMANT_ACCOUNT", "minDormancy", "2160h");
        yaml = withParameter(yaml, "BRUTE_FORCE_LOGIN", "minFailures", "'5'");

        assertThat(versions(PatternCatalogue.parse(yaml, SOURCE))).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "IMPOSSIBLE_TRAVEL | minDistanceKm | 500",
                "IMPOSSIBLE_TRAVEL | minDistanceKm | \"500.0\"",
                "IMPOSSIBLE_TRAVEL | minSpeedKmh | 1000.00",
                "MONEY_MULE | passThroughRatio | \"0.80\"",
                "MONEY_MULE | passThroughRatio | 0.8",
            })
    void writingTheSameDecimalParameterDifferentlyKeepsTheVersion(
            String pattern, String parameter, String value) throws IOException {
        String before = byId(PatternCatalogue.defaults()).get(pattern).version();
        String yaml = withParameter(defaultYaml(), pattern, parameter, value);

        PatternConfig config = byId(PatternCatalogue.parse(yaml, SOURCE)).get(pattern);

        assertThat(config.decimal(parameter))
                .isEqualByComparingTo(
                        byId(PatternCatalogue.defaults()).get(pattern).decimal(parameter));
        assertThat(config.version()).isEqualTo(before);
    }

    @Test
    void reorderingThePatternsKeepsTheirVersions() throws IOException {
        String yaml = defaultYaml();
        int first = yaml.indexOf("  - id: BRUTE_FORCE_LOGIN\n");
        int second = yaml.indexOf("  - id: ACCOUNT_TAKEOVER\n");
        String reordered =
                yaml.substring(0, first) + yaml.substring(second) + yaml.substring(first, second);

        PatternCatalogue catalogue = PatternCatalogue.parse(reordered, SOURCE);

        assertThat(catalogue.configs().get(0).id()).isEqualTo("ACCOUNT_TAKEOVER");
        assertThat(versions(catalogue))
                .containsAllEntriesOf(versions(PatternCatalogue.defaults()))
                .hasSize(9);
    }

    @Test
    void versionsOfTheDefaultsAreStable() {
        List<String> once =
                PatternCatalogue.defaults().configs().stream().map(PatternConfig::version).toList();
        List<String> twice =
                PatternCatalogue.defaults().configs().stream().map(PatternConfig::version).toList();

        assertThat(twice).isEqualTo(once);
    }
}
