package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.shippedRuleFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.sampledata.fuzz.ContractReference;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.RefAlert;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The nine default rules of rules/rules-default.yaml, read by this reference interpreter, demand
 * exactly the alerts that {@link ContractReference} (an independent reading of patterns.md) demands
 * of the default catalogue on dense random logs: user, rule, window start, detection instant and
 * matched events.
 */
class DefaultRulesAgreementTest {

    private static final RuleSet DEFAULTS =
            RuleFiles.parse(shippedRuleFile("rules-default.yaml"), "rules-default.yaml");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void theDefaultRulesGiveTheAlertsOfThePatternCatalogue(long seed) {
        List<UserEvent> log =
                DenseLogGenerator.generate(seed, new DenseLogOptions(100, 165)).events();

        List<String> expected =
                ContractReference.detect(log).stream()
                        .map(DefaultRulesAgreementTest::line)
                        .toList();
        List<String> found =
                RuleReference.detect(DEFAULTS, log, RuleReference.Deadlines.ALL).stream()
                        .map(DefaultRulesAgreementTest::line)
                        .toList();

        assertThat(found).isEqualTo(expected);
        assertThat(perRule(found).keySet()).hasSize(9);
    }

    private static String line(RefAlert a) {
        return String.join(
                " ",
                a.userId(),
                a.patternId(),
                a.windowStart().toString(),
                a.detectedAt().toString(),
                a.eventIds().toString());
    }

    private static String line(RefRuleAlert a) {
        return String.join(
                " ",
                a.userId(),
                a.ruleId(),
                a.windowStart().toString(),
                a.detectedAt().toString(),
                a.eventIds().toString());
    }

    private static Map<String, Integer> perRule(List<String> lines) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines) {
            counts.merge(line.split(" ")[1], 1, Integer::sum);
        }
        return counts;
    }
}
