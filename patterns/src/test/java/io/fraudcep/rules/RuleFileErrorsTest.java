package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of mistake in a rule file is reported with the file, the line, the rule and the field,
 * and says what is expected. Each case changes one line of a small valid file (or adds one) and
 * asserts the whole message.
 */
class RuleFileErrorsTest {

    private static final String FILE = "r.yaml";

    /** A valid file; the line numbers of the cases below refer to it. */
    static final String VALID =
            String.join(
                    "\n",
                    "version: \"2\"", //                                   1
                    "rules:", //                                           2
                    "  - id: CARD_TESTING", //                             3
                    "    severity: HIGH", //                               4
                    "    window: 15m", //                                  5
                    "    params:", //                                      6
                    "      minSmallPayments: 3", //                        7
                    "      smallBelow: 5.00", //                           8
                    "    steps:", //                                       9
                    "      - name: small", //                             10
                    "        type: CARD_PAYMENT", //                      11
                    "        where: amount < $smallBelow", //             12
                    "        times: $minSmallPayments+", //               13
                    "      - name: large", //                             14
                    "        type: CARD_PAYMENT", //                      15
                    "    summary: \"{count(small)} small payments\"", //  16
                    "");

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // The file
                mistake(
                        "version: \"2\"",
                        "version: 2",
                        "r.yaml:1: field version: expected a version string like \"2\" (letters,"
                                + " digits, . _ -), found 2 (quote it)"),
                mistake(
                        "rules:",
                        "owner: fraud-team\nrules:",
                        "r.yaml:2: field owner: unknown key 'owner' (allowed: version, rules)"),
                mistake(
                        "    summary: \"{count(small)} small payments\"\n",
                        "    summary: \"{count(small)} small payments\"\nrule: x\n",
                        "r.yaml:17: field rule: unknown key 'rule' (allowed: version, rules)"),
                mistake(
                        "    severity: HIGH",
                        "    severity: HIGH\n    severity: LOW",
                        "r.yaml:5: key 'severity' appears twice (first at line 4)"),
                // The rule
                mistake(
                        "  - id: CARD_TESTING",
                        "  - id: card_testing",
                        "r.yaml:3: rule card_testing, field id: expected capitals, digits and _,"
                                + " starting with a capital, 3 to 64 characters"
                                + " ([A-Z][A-Z0-9_]{2,63})"),
                mistake(
                        "  - id: CARD_TESTING\n    severity: HIGH",
                        "  - severity: HIGH",
                        "r.yaml:3: field rules[0].id: missing: every rule needs an id like"
                                + " CARD_TESTING"),
                mistake(
                        "    summary: \"{count(small)} small payments\"\n",
                        "    summary: \"{count(small)} small payments\"\n"
                                + "  - id: CARD_TESTING\n"
                                + "    severity: LOW\n"
                                + "    window: 1m\n"
                                + "    steps: [{name: one, type: DEPOSIT}]\n",
                        "r.yaml:17: rule CARD_TESTING, field id: the id is already used by the"
                                + " rule at line 3"),
                mistake(
                        "    severity: HIGH",
                        "    severity: high",
                        "r.yaml:4: rule CARD_TESTING, field severity: expected LOW, MEDIUM, HIGH"
                                + " or CRITICAL, found 'high'"),
                mistake(
                        "    severity: HIGH",
                        "    severity: HIGH\n    mode: live",
                        "r.yaml:5: rule CARD_TESTING, field mode: expected active, shadow or"
                                + " disabled, found 'live'"),
                mistake(
                        "    window: 15m",
                        "    window: 0m",
                        "r.yaml:5: rule CARD_TESTING, field window: expected a positive"
                                + " duration, not '0m'"),
                mistake(
                        "    window: 15m",
                        "    window: 15 minutes",
                        "r.yaml:5: rule CARD_TESTING, field window: expected a duration like"
                                + " 250ms, 30s, 10m, 6h, 90d or PT10M, not '15 minutes'"),
                mistake(
                        "    window: 15m",
                        "    windw: 15m",
                        "r.yaml:3: rule CARD_TESTING, field window: missing (expected a duration"
                                + " like 15m)\n"
                                + "r.yaml:5: rule CARD_TESTING, field windw: unknown key 'windw'"
                                + " (allowed: id, description, severity, mode, window, params,"
                                + " steps, summary)"),
                mistake(
                        "    summary: \"{count(small)} small payments\"",
                        "    summary: {span}",
                        "r.yaml:16: rule CARD_TESTING, field summary: expected text, found a"
                                + " mapping (quote it: YAML reads an unquoted {...} as a"
                                + " mapping)"),
                mistake(
                        "    summary: \"{count(small)} small payments\"",
                        "    summary: \"{count(small) small payments\"",
                        "r.yaml:16: rule CARD_TESTING, field summary: column 1: '{' without a '}'"
                                + " after it"),
                // Params
                mistake(
                        "      smallBelow: 5.00",
                        "      small_below: 5.00",
                        "r.yaml:8: rule CARD_TESTING, field params.small_below: a parameter name"
                                + " starts with a small letter, then letters and digits"
                                + " ([a-z][A-Za-z0-9]*)"),
                mistake(
                        "      smallBelow: 5.00",
                        "      smallBelow: 5.0e+2",
                        "r.yaml:8: rule CARD_TESTING, field params.smallBelow: write a decimal"
                                + " with digits and a point, like 0.80, not 5.0e+2"),
                mistake(
                        "      smallBelow: 5.00",
                        "      smallBelow:",
                        "r.yaml:8: rule CARD_TESTING, field params.smallBelow: expected a number,"
                                + " a decimal, a duration, text or true/false, found nothing"),
                mistake(
                        "      smallBelow: 5.00",
                        "      smallBelow: [1, 2]",
                        "r.yaml:8: rule CARD_TESTING, field params.smallBelow: expected a number,"
                                + " a decimal, a duration, text or true/false, found a list"),
                mistake(
                        "      smallBelow: 5.00",
                        "      smallBelow: 5.00\n      quiet: 0d",
                        "r.yaml:9: rule CARD_TESTING, field params.quiet: expected a positive"
                                + " duration, not '0d'"),
                // Steps
                mistake(
                        "    steps:",
                        "    steps: []\n    oldSteps:",
                        "r.yaml:9: rule CARD_TESTING, field steps: expected a non-empty list of"
                                + " steps, found a list\n"
                                + "r.yaml:10: rule CARD_TESTING, field oldSteps: unknown key"
                                + " 'oldSteps' (allowed: id, description, severity, mode, window,"
                                + " params, steps, summary)"),
                mistake(
                        "        where: amount < $smallBelow",
                        "        wher: amount < $smallBelow",
                        "r.yaml:12: rule CARD_TESTING, field steps[0].wher: unknown key 'wher'"
                                + " (allowed: name, type, where, times, having, contiguity,"
                                + " absent, for)"),
                mistake(
                        "      - name: large",
                        "      - name: Large",
                        "r.yaml:14: rule CARD_TESTING, field steps[1].name: expected a name that"
                                + " starts with a small letter, then letters and digits"
                                + " ([a-z][A-Za-z0-9]*), found 'Large'"),
                mistake(
                        "      - name: large",
                        "      - name: small",
                        "r.yaml:14: rule CARD_TESTING, field steps[1].name: the name 'small' is"
                                + " already used by steps[0]"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: [CARD_PAYMENT, CARD_PAYMENT]\n    summary",
                        "r.yaml:15: rule CARD_TESTING, field steps[1].type: CARD_PAYMENT is"
                                + " listed twice"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: []\n    summary",
                        "r.yaml:15: rule CARD_TESTING, field steps[1].type: expected an event"
                                + " type or a non-empty list of them"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: PAYMENT\n    summary",
                        "r.yaml:15: rule CARD_TESTING, field steps[1].type: unknown event type"
                                + " 'PAYMENT' (known: LOGIN_SUCCESS, LOGIN_FAILURE,"
                                + " CARD_PAYMENT, TRANSFER_OUT, TRANSFER_IN, DEPOSIT, WITHDRAWAL,"
                                + " PASSWORD_CHANGE, EMAIL_CHANGE, PHONE_CHANGE, MFA_DISABLED,"
                                + " PAYEE_ADDED, DEVICE_REGISTERED, ADDRESS_CHANGE)"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "    summary",
                        "r.yaml:14: rule CARD_TESTING, field steps[1].type: missing: an event"
                                + " type like CARD_PAYMENT, or a list of them"),
                mistake(
                        "        where: amount < $smallBelow",
                        "        where: true",
                        "r.yaml:12: rule CARD_TESTING, field steps[0].where: expected an"
                                + " expression, found true"),
                // times
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: lots",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].times: expected n, n+ or"
                                + " n..m (n and m whole numbers >= 1 or $params holding them),"
                                + " found 'lots'"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: 0",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].times: a step takes at"
                                + " least 1 event, not 0"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: 5..3",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].times: the upper bound 3"
                                + " is below the lower bound 5"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: $minSmall+",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].times: unknown parameter"
                                + " $minSmall (params: minSmallPayments, smallBelow)"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: $smallBelow+",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].times: parameter"
                                + " $smallBelow is 5.00, not a whole number; times needs one"),
                // having, contiguity, absent, for
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        having: count(large) > 1\n"
                                + "    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].having: having is only"
                                + " allowed on a repeated step (times other than 1)"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: $minSmallPayments+\n        contiguity: strict",
                        "r.yaml:14: rule CARD_TESTING, field steps[0].contiguity: the first step"
                                + " cannot be strict: there is no step before it"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        contiguity: next\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].contiguity: expected"
                                + " relaxed or strict, found 'next'"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        absent: true",
                        "r.yaml:13: rule CARD_TESTING, field steps[0].absent: the first step"
                                + " cannot be absent: a rule starts with an event"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        absent: yes please\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].absent: expected true or"
                                + " false, found 'yes please'"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        absent: true\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].for: missing: an absent"
                                + " last step needs for: DURATION, how long after the last"
                                + " present event it must not occur"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        for: 1h\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].for: only an absent last"
                                + " step has for"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        absent: true\n        for: 1h\n"
                                + "        times: 2\n        having: count(large) > 1\n"
                                + "    summary",
                        "r.yaml:18: rule CARD_TESTING, field steps[1].times: an absent step"
                                + " takes no times\n"
                                + "r.yaml:19: rule CARD_TESTING, field steps[1].having: an absent"
                                + " step has no having"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        absent: true\n        for: 1h\n"
                                + "      - name: later\n        type: DEPOSIT\n    summary",
                        "r.yaml:17: rule CARD_TESTING, field steps[1].for: only an absent last"
                                + " step has for; an absent step between two steps lasts until"
                                + " the next one"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        absent: true\n"
                                + "      - name: quiet\n        type: DEPOSIT\n"
                                + "        absent: true\n        for: 1h\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].absent: an absent step is"
                                + " followed by a present step or is the last step"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        for: forever\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].for: expected a duration"
                                + " like 250ms, 30s, 10m, 6h, 90d or PT10M, not 'forever'\n"
                                + "r.yaml:16: rule CARD_TESTING, field steps[1].for: only an"
                                + " absent last step has for"));
    }

    /**
     * Mistakes inside expressions: the expression compiler's message (its own tests pin the
     * wording) follows the file, line, rule, field and the column in the field's text.
     */
    static Stream<Arguments> expressionMistakes() {
        return Stream.of(
                mistake(
                        "        where: amount < $smallBelow",
                        "        where: amont < $smallBelow",
                        "r.yaml:12: rule CARD_TESTING, field steps[0].where: column 1: ",
                        "amont"),
                mistake(
                        "        where: amount < $smallBelow",
                        "        where: amount < $smallBellow",
                        "r.yaml:12: rule CARD_TESTING, field steps[0].where: column 10: ",
                        "$smallBellow"),
                mistake(
                        "        where: amount < $smallBelow",
                        "        where: amount",
                        "r.yaml:12: rule CARD_TESTING, field steps[0].where: ",
                        "condition"),
                mistake(
                        "        type: CARD_PAYMENT\n    summary",
                        "        type: CARD_PAYMENT\n        where: small.amount > 1\n    summary",
                        "r.yaml:16: rule CARD_TESTING, field steps[1].where: column 1: ",
                        "small"),
                mistake(
                        "        times: $minSmallPayments+",
                        "        times: $minSmallPayments+\n        having: sum(small.amount) > 'a'",
                        "r.yaml:14: rule CARD_TESTING, field steps[0].having: column 19: ",
                        "decimal"),
                mistake(
                        "    summary: \"{count(small)} small payments\"",
                        "    summary: \"{count(small)} small payments, {sum(large.amount)}\"",
                        "r.yaml:16: rule CARD_TESTING, field summary: column 37: ",
                        "large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressionMistakes")
    void aMistakeInAnExpressionIsReportedWithItsColumn(
            String change, String yaml, String prefix, String word) {
        RuleFileException e =
                catchThrowableOfType(RuleFileException.class, () -> RuleFiles.parse(yaml, FILE));
        assertThat(e).as("no error for: %s", change).isNotNull();
        assertThat(e.getMessage()).startsWith(prefix).contains(word).doesNotContain("\n");
    }

    private static Arguments mistake(
            String line, String replacement, String expectedPrefix, String word) {
        assertThat(VALID).contains(line);
        return Arguments.of(
                replacement.replace('\n', '|'),
                VALID.replace(line, replacement),
                expectedPrefix,
                word);
    }

    private static Arguments mistake(String line, String replacement, String expected) {
        assertThat(VALID).contains(line);
        return Arguments.of(
                replacement.replace('\n', '|'), VALID.replace(line, replacement), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsReportedWithItsLineRuleAndField(String change, String yaml, String expected) {
        RuleFileException e =
                catchThrowableOfType(RuleFileException.class, () -> RuleFiles.parse(yaml, FILE));
        assertThat(e).as("no error for: %s", change).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected);
    }

    @Test
    void theValidFileParses() {
        assertThat(RuleFiles.parse(VALID, FILE).rules()).hasSize(1);
    }

    @Test
    void unreadableTextIsOneErrorWithTheParsersLine() {
        assertThatThrownBy(() -> RuleFiles.parse("version: \"2\"\nrules: [\n", FILE))
                .isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith("r.yaml:3: not valid YAML: ");
        assertThatThrownBy(() -> RuleFiles.parse("", FILE))
                .hasMessage("r.yaml:1: the file is empty");
        assertThatThrownBy(() -> RuleFiles.parse("{\"version\": \"2\",\n\"rules\": [}", "r.json"))
                .hasMessageStartingWith("r.json:2: not valid JSON: ");
    }
}
