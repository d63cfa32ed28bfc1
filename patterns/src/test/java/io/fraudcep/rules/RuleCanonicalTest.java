package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A rule's canonical form and hash: stable across runs and across ways of writing the same rule,
 * and different as soon as anything that decides its alerts changes.
 */
class RuleCanonicalTest {

    private static final Rule CARD_TESTING = RuleFiles.defaults().rule("CARD_TESTING");

    @Test
    void theCanonicalFormIsOneLineOfOrderedJson() {
        assertThat(RuleCanonical.canonical(CARD_TESTING))
                .isEqualTo(
                        "{\"id\":\"CARD_TESTING\",\"severity\":\"HIGH\",\"window\":\"15m\","
                                + "\"params\":{\"largeAtLeast\":\"decimal:500\","
                                + "\"minSmallPayments\":\"int:3\",\"smallBelow\":\"decimal:5\"},"
                                + "\"steps\":[{\"name\":\"small\",\"type\":[\"CARD_PAYMENT\"],"
                                + "\"where\":\"amount < $smallBelow\",\"times\":\"3+\","
                                + "\"having\":null,\"contiguity\":\"relaxed\",\"absent\":false,"
                                + "\"for\":null},{\"name\":\"large\",\"type\":[\"CARD_PAYMENT\"],"
                                + "\"where\":\"amount >= $largeAtLeast\",\"times\":\"1\","
                                + "\"having\":null,\"contiguity\":\"relaxed\",\"absent\":false,"
                                + "\"for\":null}],\"summary\":\"{count(small)} card payments under"
                                + " {$smallBelow} (total {sum(small.amount)}) then a payment of"
                                + " {large.amount} within {span}.\"}");
    }

    @Test
    void theHashIsStableAndNamesTheVersion() {
        // Pinned: a change here changes the patternVersion of every alert of this rule.
        assertThat(RuleCanonical.hash(CARD_TESTING)).isEqualTo("b8579c568f6e");
        assertThat(RuleCanonical.patternVersion(CARD_TESTING)).isEqualTo("2-b8579c568f6e");
        assertThat(
                        RuleCanonical.hash(
                                RuleFiles.parse(cardTestingYaml(""), "again.yaml").rules().get(0)))
                .isEqualTo("b8579c568f6e");
    }

    @Test
    void aParamChangeChangesTheHash() {
        Rule tuned =
                CARD_TESTING.withParam("smallBelow", ParamValue.decimal(new BigDecimal("4.00")));

        assertThat(RuleCanonical.hash(tuned)).isNotEqualTo(RuleCanonical.hash(CARD_TESTING));
    }

    @Test
    void whatDecidesAlertsChangesTheHash() {
        String base = hash(cardTestingYaml(""));

        assertThat(hash(cardTestingYaml("").replace("15m", "16m"))).isNotEqualTo(base);
        assertThat(hash(cardTestingYaml("").replace("severity: HIGH", "severity: LOW")))
                .isNotEqualTo(base);
        assertThat(hash(cardTestingYaml("").replace("$minSmallPayments+", "3"))).isNotEqualTo(base);
        assertThat(hash(cardTestingYaml("").replace("< $smallBelow", "<= $smallBelow")))
                .isNotEqualTo(base);
        assertThat(hash(cardTestingYaml("").replace("within {span}", "in {span}")))
                .isNotEqualTo(base);
    }

    @Test
    void theSameRuleWrittenDifferentlyHasTheSameHash() {
        String base = hash(cardTestingYaml(""));

        assertThat(hash(cardTestingYaml("").replace("5.00", "5.0"))).isEqualTo(base);
        assertThat(hash(cardTestingYaml("").replace("15m", "PT15M"))).isEqualTo(base);
        assertThat(
                        hash(
                                cardTestingYaml("")
                                        .replace("amount < $smallBelow", "amount  <\t$smallBelow")))
                .isEqualTo(base);
        assertThat(hash(cardTestingYaml("    description: Probing a card.\n    mode: shadow\n")))
                .as("description and mode are not part of it")
                .isEqualTo(base);
        assertThat(
                        hash(
                                cardTestingYaml("")
                                        .replace(
                                                "      minSmallPayments: 3\n      smallBelow: 5.00\n",
                                                "      smallBelow: 5.00\n      minSmallPayments: 3\n")))
                .as("param order")
                .isEqualTo(base);
    }

    @Test
    void theVersionIsTheFilesVersion() {
        Rule rule =
                RuleFiles.parse(cardTestingYaml("").replace("\"2\"", "\"7\""), "v7.yaml")
                        .rules()
                        .get(0);

        assertThat(RuleCanonical.patternVersion(rule)).isEqualTo("7-b8579c568f6e");
    }

    private static String hash(String yaml) {
        return RuleCanonical.hash(RuleFiles.parse(yaml, "c.yaml").rules().get(0));
    }

    /** CARD_TESTING as rules-default.yaml writes it, with extra lines after its severity. */
    private static String cardTestingYaml(String extra) {
        return "version: \"2\"\n"
                + "rules:\n"
                + "  - id: CARD_TESTING\n"
                + "    severity: HIGH\n"
                + extra
                + "    window: 15m\n"
                + "    params:\n"
                + "      minSmallPayments: 3\n"
                + "      smallBelow: 5.00\n"
                + "      largeAtLeast: 500.00\n"
                + "    steps:\n"
                + "      - name: small\n"
                + "        type: CARD_PAYMENT\n"
                + "        where: amount < $smallBelow\n"
                + "        times: $minSmallPayments+\n"
                + "      - name: large\n"
                + "        type: CARD_PAYMENT\n"
                + "        where: amount >= $largeAtLeast\n"
                + "    summary: \"{count(small)} card payments under {$smallBelow} (total"
                + " {sum(small.amount)}) then a payment of {large.amount} within {span}.\"\n";
    }
}
