package io.fraudcep.sampledata.fuzz.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.Step;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Random rule files are valid, deterministic, varied, and the reference runs them quickly. */
class RandomRulesTest {

    private static final int SEEDS = 200;

    /** The files of seeds 0 to 199, parsed once (compiling expressions takes a while). */
    private static List<RuleSet> parsed;

    @BeforeAll
    static void parseTwoHundredSeeds() {
        parsed = new ArrayList<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            parsed.add(RuleFiles.parse(RandomRules.generate(seed), "random-" + seed + ".yaml"));
        }
    }

    @Test
    void everyFileOfTwoHundredSeedsIsAValidRuleFile() {
        assertThat(parsed).hasSize(SEEDS);
        assertThat(parsed).allSatisfy(s -> assertThat(s.rules()).hasSizeBetween(1, 6));
        assertThat(parsed)
                .allSatisfy(
                        s ->
                                assertThat(s.rules())
                                        .allSatisfy(
                                                r -> assertThat(r.steps()).hasSizeBetween(1, 4)));
    }

    @Test
    void theSameSeedGivesTheSameFileAndOtherSeedsOtherFiles() {
        assertThat(RandomRules.generate(7)).isEqualTo(RandomRules.generate(7));
        assertThat(RandomRules.generate(7)).isNotEqualTo(RandomRules.generate(8));
    }

    @Test
    void theSeedsCoverEveryConstructOfTheLanguage() {
        List<Rule> rules = parsed.stream().flatMap(s -> s.rules().stream()).toList();
        Set<String> missing = new TreeSet<>();
        check(missing, rules, "an absent middle step", RandomRulesTest::absentInTheMiddle);
        check(missing, rules, "an absent last step with for", Rule::endsWithAbsence);
        check(missing, rules, "strict contiguity", r -> anyStep(r, Step::strict));
        check(
                missing,
                rules,
                "n..m",
                r ->
                        anyStep(
                                r,
                                s ->
                                        s.times().max() != s.times().min()
                                                && s.times().max() != Integer.MAX_VALUE));
        check(missing, rules, "n+", r -> anyStep(r, s -> s.times().max() == Integer.MAX_VALUE));
        check(
                missing,
                rules,
                "exactly n > 1",
                r -> anyStep(r, s -> s.times().min() > 1 && s.times().min() == s.times().max()));
        check(missing, rules, "params", r -> !r.params().isEmpty());
        check(missing, rules, "shadow", r -> r.mode() == RuleMode.SHADOW);
        check(missing, rules, "active", r -> r.mode() == RuleMode.ACTIVE);
        check(missing, rules, "window 30s", r -> r.window().equals(Duration.ofSeconds(30)));
        check(missing, rules, "window 6h", r -> r.window().equals(Duration.ofHours(6)));
        for (String text :
                List.of(
                        "counterpartyId == ",
                        "deviceId == ",
                        "newDevice",
                        "priorEvents",
                        "sincePreviousEvent",
                        "hasCoordinates",
                        "distanceKm(",
                        "$")) {
            check(
                    missing,
                    rules,
                    "where with " + text,
                    r -> anyStep(r, s -> contains(s.where(), text)));
        }
        for (String text : List.of("sum(", "count(", "distinct(", "min(", "max(", " * ")) {
            check(
                    missing,
                    rules,
                    "having with " + text,
                    r -> anyStep(r, s -> contains(s.having(), text)));
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void theReferenceEvaluatesRandomRulesOnADenseLogInSeconds() {
        List<UserEvent> log = DenseLogGenerator.generate(11, new DenseLogOptions(40, 165)).events();
        long alerts = 0;
        long start = System.nanoTime();
        for (long seed = 0; seed < 20; seed++) {
            RuleSet rules = RuleFiles.parse(RandomRules.generate(seed), "random.yaml");
            alerts += RuleReference.detect(rules, log, RuleReference.Deadlines.ALL).size();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(alerts).isPositive();
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }

    private static void check(
            Set<String> missing, List<Rule> rules, String construct, Predicate<Rule> test) {
        if (rules.stream().noneMatch(test)) {
            missing.add(construct);
        }
    }

    private static boolean anyStep(Rule r, Predicate<Step> test) {
        return r.steps().stream().anyMatch(test);
    }

    private static boolean absentInTheMiddle(Rule r) {
        for (int i = 1; i < r.steps().size() - 1; i++) {
            if (r.steps().get(i).absent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String text, String part) {
        return text != null && text.contains(part);
    }
}
