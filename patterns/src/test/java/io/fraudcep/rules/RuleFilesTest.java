package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rule files, what a valid file gives (params as written, times, modes, versions), JSON
 * and YAML alike, and a file with several mistakes reporting all of them.
 */
class RuleFilesTest {

    /** The repository's rule files, as analysts edit them. */
    static final Path SHIPPED = Path.of("../rules");

    @Test
    void aRuleFileOfVersion1IsARuleFileNotAPatternFile() {
        RuleSet rules =
                RuleFiles.parse(
                        """
                        version: "1"
                        rules:
                          - id: BIG_WITHDRAWAL
                            severity: LOW
                            window: 1m
                            steps:
                              - name: cash
                                type: WITHDRAWAL
                                where: amount >= 200.00
                        """,
                        "mine.yaml");

        assertThat(rules.version()).isEqualTo("1");
        assertThat(rules.rules()).extracting(Rule::id).containsExactly("BIG_WITHDRAWAL");
    }

    @Test
    void theDefaultsAreTheNinePatternsWithTheirSeveritiesWindowsAndV1Params() {
        RuleSet defaults = RuleFiles.defaults();

        assertThat(defaults.version()).isEqualTo("2");
        assertThat(defaults.rules())
                .extracting(Rule::id, Rule::severity, Rule::mode, Rule::window)
                .containsExactly(
                        tuple(
                                "BRUTE_FORCE_LOGIN",
                                Severity.MEDIUM,
                                RuleMode.ACTIVE,
                                Duration.ofMinutes(10)),
                        tuple(
                                "ACCOUNT_TAKEOVER",
                                Severity.CRITICAL,
                                RuleMode.ACTIVE,
                                Duration.ofMinutes(30)),
                        tuple(
                                "CARD_TESTING",
                                Severity.HIGH,
                                RuleMode.ACTIVE,
                                Duration.ofMinutes(15)),
                        tuple(
                                "IMPOSSIBLE_TRAVEL",
                                Severity.MEDIUM,
                                RuleMode.ACTIVE,
                                Duration.ofHours(6)),
                        tuple("VELOCITY", Severity.MEDIUM, RuleMode.ACTIVE, Duration.ofMinutes(5)),
                        tuple("STRUCTURING", Severity.HIGH, RuleMode.ACTIVE, Duration.ofHours(24)),
                        tuple("MONEY_MULE", Severity.HIGH, RuleMode.ACTIVE, Duration.ofHours(2)),
                        tuple(
                                "DORMANT_ACCOUNT",
                                Severity.HIGH,
                                RuleMode.ACTIVE,
                                Duration.ofHours(1)),
                        tuple(
                                "NEW_PAYEE_DRAIN",
                                Severity.HIGH,
                                RuleMode.ACTIVE,
                                Duration.ofMinutes(10)));
        assertThat(defaults.rules()).allSatisfy(r -> assertThat(r.version()).isEqualTo("2"));
        assertThat(paramTexts(defaults))
                .containsExactly(
                        "BRUTE_FORCE_LOGIN minFailures=5",
                        "ACCOUNT_TAKEOVER minAmount=1000.00",
                        "CARD_TESTING minSmallPayments=3 smallBelow=5.00 largeAtLeast=500.00",
                        "IMPOSSIBLE_TRAVEL minDistanceKm=500.0 minSpeedKmh=1000.0",
                        "VELOCITY minTransactions=10",
                        "STRUCTURING minDeposits=3 minAmount=9000.00 maxAmount=10000.00",
                        "MONEY_MULE minTransferIn=2000.00 passThroughRatio=0.80",
                        "DORMANT_ACCOUNT minDormancy=90d minAmount=1000.00",
                        "NEW_PAYEE_DRAIN minAmount=5000.00");
    }

    @Test
    void theDefaultsAreTheV1DefaultPatternFileConverted() throws IOException {
        String v1 = Files.readString(Path.of("src/test/resources/rules/v1-patterns-default.yaml"));

        RuleSet converted = RuleFiles.parse(v1, "patterns-default.yaml");

        assertThat(converted.version()).isEqualTo("1");
        assertThat(converted.rules()).hasSize(9);
        for (Rule r : converted.rules()) {
            Rule d = RuleFiles.defaults().rule(r.id());
            assertThat(r).isEqualTo(withVersion(d, "1"));
        }
    }

    @Test
    void theShippedFilesParseAndTheJarCarriesThem() throws IOException {
        RuleSet defaults = RuleFiles.load(SHIPPED.resolve("rules-default.yaml"));
        RuleSet examples = RuleFiles.load(SHIPPED.resolve("rules-examples.yaml"));

        assertThat(defaults).isEqualTo(RuleFiles.defaults());
        assertThat(examples).isEqualTo(RuleFiles.examples());
        assertThat(examples.rules())
                .extracting(Rule::id, Rule::mode)
                .containsExactly(
                        tuple("CREDENTIAL_STUFFING", RuleMode.DISABLED),
                        tuple("UNREMEDIATED_TAKEOVER", RuleMode.DISABLED),
                        tuple("MULE_THIN_FILE", RuleMode.DISABLED),
                        tuple("NEW_DEVICE_PAYEE", RuleMode.DISABLED));
    }

    @Test
    void aRuleIsReadWithItsStepsAsWritten() {
        Rule cardTesting = RuleFiles.defaults().rule("CARD_TESTING");

        assertThat(cardTesting.steps())
                .containsExactly(
                        new Step(
                                "small",
                                List.of(EventType.CARD_PAYMENT),
                                "amount < $smallBelow",
                                new Quantifier(3, Quantifier.UNBOUNDED),
                                null,
                                false,
                                false,
                                null),
                        new Step(
                                "large",
                                List.of(EventType.CARD_PAYMENT),
                                "amount >= $largeAtLeast",
                                Quantifier.ONE,
                                null,
                                false,
                                false,
                                null));
        Step ownerReturns = RuleFiles.examples().rule("UNREMEDIATED_TAKEOVER").steps().get(2);
        assertThat(ownerReturns.absent()).isTrue();
        assertThat(ownerReturns.forDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(RuleFiles.examples().rule("NEW_DEVICE_PAYEE").steps().get(1).strict()).isTrue();
        assertThat(RuleFiles.defaults().rule("ACCOUNT_TAKEOVER").steps().get(1).types())
                .containsExactly(
                        EventType.PASSWORD_CHANGE,
                        EventType.EMAIL_CHANGE,
                        EventType.PHONE_CHANGE,
                        EventType.MFA_DISABLED);
    }

    @Test
    void paramsKeepTheirTypeAndTheirTextDecimalsNeverPassThroughDouble() {
        RuleSet rules =
                RuleFiles.parse(
                        oneRule(
                                "    params:\n"
                                        + "      count: 3\n"
                                        + "      ratio: 0.80\n"
                                        + "      tiny: 0.1000000000000000055511151231257827\n"
                                        + "      quiet: 90d\n"
                                        + "      iso: PT10M\n"
                                        + "      country: FR\n"
                                        + "      strict: true\n",
                                "amount > $ratio"),
                        "p.yaml");

        assertThat(rules.rules().get(0).params())
                .containsExactly(
                        entry("count", ParamValue.integer(3)),
                        entry("ratio", ParamValue.decimal(new BigDecimal("0.80"))),
                        entry(
                                "tiny",
                                ParamValue.decimal(
                                        new BigDecimal("0.1000000000000000055511151231257827"))),
                        entry("quiet", ParamValue.duration(Duration.ofDays(90), "90d")),
                        entry("iso", ParamValue.duration(Duration.ofMinutes(10), "PT10M")),
                        entry("country", ParamValue.string("FR")),
                        entry("strict", ParamValue.bool(true)));
        assertThat(rules.rules().get(0).params().get("ratio").text()).isEqualTo("0.80");
    }

    @Test
    void timesTakeNumbersRangesAndWholeNumberParams() {
        assertThat(times("3")).isEqualTo(new Quantifier(3, 3));
        assertThat(times("\"3\"")).isEqualTo(new Quantifier(3, 3));
        assertThat(times("3+")).isEqualTo(new Quantifier(3, Quantifier.UNBOUNDED));
        assertThat(times("2..5")).isEqualTo(new Quantifier(2, 5));
        assertThat(times("$low")).isEqualTo(new Quantifier(2, 2));
        assertThat(times("$low+")).isEqualTo(new Quantifier(2, Quantifier.UNBOUNDED));
        assertThat(times("$low..$high")).isEqualTo(new Quantifier(2, 7));
        assertThat(times("1..$high")).isEqualTo(new Quantifier(1, 7));
    }

    private static Quantifier times(String written) {
        String yaml =
                oneRule("    params:\n      low: 2\n      high: 7\n", null)
                        .replace(
                                "        type: DEPOSIT\n",
                                "        type: DEPOSIT\n        times: " + written + "\n");
        return RuleFiles.parse(yaml, "t.yaml").rules().get(0).steps().get(0).times();
    }

    @Test
    void modeDefaultsToActiveAndTheFileVersionIsEveryRulesVersion() {
        RuleSet rules =
                RuleFiles.parse(oneRule("", null).replace("\"2\"", "\"2026.03-a\""), "v.yaml");

        assertThat(rules.version()).isEqualTo("2026.03-a");
        assertThat(rules.rules().get(0).mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(rules.rules().get(0).version()).isEqualTo("2026.03-a");
    }

    @Test
    void jsonGivesTheSameRulesAsYaml() throws IOException {
        for (String file : List.of("rules-default.yaml", "rules-examples.yaml")) {
            String yaml = Files.readString(SHIPPED.resolve(file));

            RuleSet fromJson = RuleFiles.parse(yamlToJson(yaml), "rules.json");

            assertThat(fromJson).isEqualTo(RuleFiles.parse(yaml, file));
        }
    }

    @Test
    void aJsonFileIsRecognisedByItsContentToo() throws IOException {
        String json = yamlToJson(Files.readString(SHIPPED.resolve("rules-default.yaml")));

        assertThat(RuleFiles.parse(json, "rules.txt")).isEqualTo(RuleFiles.defaults());
    }

    @Test
    void everyMistakeOfAFileIsReportedInLineOrder() {
        Path broken = Path.of("src/test/resources/rules/broken.yaml");

        assertThatThrownBy(() -> RuleFiles.load(broken))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(
                        String.join(
                                "\n",
                                broken
                                        + ":5: rule CARD_TESTING, field severity: expected LOW,"
                                        + " MEDIUM, HIGH or CRITICAL, found 'SEVERE'",
                                broken
                                        + ":15: rule CARD_TESTING, field steps[1].type: unknown"
                                        + " event type 'CARD_PAYMNT' (known: LOGIN_SUCCESS,"
                                        + " LOGIN_FAILURE, CARD_PAYMENT, TRANSFER_OUT, TRANSFER_IN,"
                                        + " DEPOSIT, WITHDRAWAL, PASSWORD_CHANGE, EMAIL_CHANGE,"
                                        + " PHONE_CHANGE, MFA_DISABLED, PAYEE_ADDED,"
                                        + " DEVICE_REGISTERED, ADDRESS_CHANGE)",
                                broken
                                        + ":16: rule lowercase_id, field id: expected capitals,"
                                        + " digits and _, starting with a capital, 3 to 64"
                                        + " characters ([A-Z][A-Z0-9_]{2,63})",
                                broken
                                        + ":22: rule lowercase_id, field steps[0].absent: the first"
                                        + " step cannot be absent: a rule starts with an event",
                                broken
                                        + ":23: rule lowercase_id, field steps[0].colour: unknown"
                                        + " key 'colour' (allowed: name, type, where, times,"
                                        + " having, contiguity, absent, for)"));
    }

    @Test
    void anErrorKnowsItsPlace() {
        RuleFileException e =
                catchThrowableOfType(
                        RuleFileException.class,
                        () -> RuleFiles.parse(oneRule("", null).replace("15m", "soon"), "w.yaml"));

        assertThat(e.errors())
                .containsExactly(
                        new RuleError(
                                "w.yaml",
                                5,
                                "ONE_RULE",
                                "window",
                                "expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M,"
                                        + " not 'soon'"));
    }

    @Test
    void aMissingFileIsOneErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> RuleFiles.load(missing))
                .isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith(missing + ": cannot read the file: ");
    }

    @Test
    void aV2FileHasNoWarnings() {
        assertThat(RuleFiles.read(SHIPPED.resolve("rules-default.yaml")).warnings()).isEmpty();
    }

    /** A file with one rule ONE_RULE of one DEPOSIT step; window at line 5. */
    static String oneRule(String params, String where) {
        return "version: \"2\"\n"
                + "rules:\n"
                + "  - id: ONE_RULE\n"
                + "    severity: LOW\n"
                + "    window: 15m\n"
                + params
                + "    steps:\n"
                + "      - name: one\n"
                + "        type: DEPOSIT\n"
                + (where == null ? "" : "        where: " + where + "\n");
    }

    /** The same document as JSON, numbers with their written digits. */
    static String yamlToJson(String yaml) throws IOException {
        JsonNode tree =
                YAMLMapper.builder()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                        .build()
                        .readTree(yaml);
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        return json.writeValueAsString(tree);
    }

    static Rule withVersion(Rule r, String version) {
        return new Rule(
                r.id(),
                r.description(),
                r.severity(),
                r.mode(),
                r.window(),
                r.params(),
                r.steps(),
                r.summary(),
                version);
    }

    private static List<String> paramTexts(RuleSet rules) {
        return rules.rules().stream()
                .map(
                        r -> {
                            StringBuilder b = new StringBuilder(r.id());
                            r.params()
                                    .forEach(
                                            (k, v) ->
                                                    b.append(' ')
                                                            .append(k)
                                                            .append('=')
                                                            .append(v.text()));
                            return b.toString();
                        })
                .toList();
    }
}
