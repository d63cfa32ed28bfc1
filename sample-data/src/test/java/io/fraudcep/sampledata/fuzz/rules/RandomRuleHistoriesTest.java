package io.fraudcep.sampledata.fuzz.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleHistoryFiles;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.rules.history.RuleVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random rule histories are valid control-topic histories that come back unchanged from their
 * JSONL, are deterministic, and across seeds 1 to 20 cover every kind of change between versions
 * that the differential tests of rule versioning need.
 */
class RandomRuleHistoriesTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant UNTIL = FROM.plus(Duration.ofDays(30));

    /** One seed's history and the rule file under it. */
    private record Generated(long seed, RuleSet base, RuleHistory history) {}

    private static List<Generated> generated;

    @BeforeAll
    static void generateTwentySeeds() {
        generated = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            RuleSet base = base(seed);
            generated.add(
                    new Generated(
                            seed, base, RandomRuleHistories.generate(seed, base, FROM, UNTIL)));
        }
    }

    /**
     * The rule file under a seed's history: a random one, the shipped default and example rules
     * (the examples disabled), or none.
     */
    private static RuleSet base(long seed) {
        switch ((int) (seed % 3)) {
            case 0:
                List<Rule> shipped = new ArrayList<>(RuleFiles.defaults().rules());
                shipped.addAll(RuleFiles.examples().rules());
                return new RuleSet("2", shipped);
            case 1:
                return RuleFiles.parse(RandomRules.generate(seed + 200), "random.yaml");
            default:
                return new RuleSet("1", List.of());
        }
    }

    @Test
    void everyHistoryHasTwoToSixIdsWithVersionsOneToAtMostFive() {
        for (Generated g : generated) {
            Map<String, List<Long>> numbers = new TreeMap<>();
            for (RuleVersion v : g.history().versions()) {
                numbers.computeIfAbsent(v.ruleId(), k -> new ArrayList<>()).add(v.ruleVersion());
            }
            assertThat(numbers).as("seed %d", g.seed()).hasSizeBetween(2, 6);
            for (List<Long> n : numbers.values()) {
                assertThat(n).as("seed %d", g.seed()).hasSizeBetween(1, 5);
                List<Long> expected = new ArrayList<>();
                for (long i = 1; i <= n.size(); i++) {
                    expected.add(i);
                }
                // In topic order: strictly increasing per id, from 1.
                assertThat(n).as("seed %d", g.seed()).isEqualTo(expected);
            }
            Set<String> fromBase = new HashSet<>();
            Set<String> fresh = new HashSet<>();
            for (String id : numbers.keySet()) {
                (g.base().rule(id) != null ? fromBase : fresh).add(id);
            }
            assertThat(fresh).as("seed %d: new ids", g.seed()).isNotEmpty();
            if (!g.base().rules().isEmpty()) {
                assertThat(fromBase).as("seed %d: ids of the file", g.seed()).isNotEmpty();
            }
        }
    }

    @Test
    void everyVersionLooksBackAtMostTheEnginesDefaultHorizonOf24Hours() {
        for (Generated g : generated) {
            for (RuleVersion v : g.history().versions()) {
                assertThat(RandomRuleHistories.lookBack(v.rule()))
                        .as("seed %d: %s v%d", g.seed(), v.ruleId(), v.ruleVersion())
                        .isLessThanOrEqualTo(Duration.ofHours(24));
            }
        }
    }

    @Test
    void versionsTakeEffectInTheRangeOrUpTo6HoursBeforeIt() {
        for (Generated g : generated) {
            for (RuleVersion v : g.history().versions()) {
                assertThat(v.effectiveFrom()).isBetween(FROM.minus(Duration.ofHours(6)), UNTIL);
            }
        }
    }

    @Test
    void everyHistoryComesBackUnchangedFromItsJsonl(@TempDir Path dir) throws IOException {
        for (Generated g : generated) {
            RuleHistory history = g.history();
            List<String> lines = RandomRuleHistories.toJsonl(history);
            assertThat(lines).hasSameSizeAs(history.versions());

            RuleHistoryBuilder builder = new RuleHistoryBuilder(g.base());
            for (int i = 0; i < lines.size(); i++) {
                RuleRecord record = RuleRecords.parse(lines.get(i));
                assertThat(RuleRecords.toJson(record)).isEqualTo(lines.get(i));
                assertThat(builder.offer("line " + (i + 1), record.ruleId(), lines.get(i)))
                        .as("seed %d, line %d", g.seed(), i + 1)
                        .isTrue();
            }
            assertThat(builder.rejected()).isEmpty();
            assertSameTimelines(builder.build(), history);

            // As bin/fraud backtest --rules-history reads it.
            Path file = dir.resolve("history-" + g.seed() + ".jsonl");
            Files.write(file, lines);
            RuleHistoryBuilder read = RuleHistoryFiles.read(file, g.base());
            assertThat(read.rejected()).isEmpty();
            assertSameTimelines(read.build(), history);
        }
    }

    @Test
    void aRuleWrittenAsJsonParsesBackToTheSameRule() {
        List<Rule> rules = new ArrayList<>(RuleFiles.defaults().rules());
        rules.addAll(RuleFiles.examples().rules());
        for (long seed = 0; seed < 30; seed++) {
            rules.addAll(RuleFiles.parse(RandomRules.generate(seed), "random.yaml").rules());
        }
        for (Generated g : generated) {
            g.history().versions().forEach(v -> rules.add(v.rule()));
        }

        for (Rule r : rules) {
            Rule parsed = RuleRecords.parseRule(RandomRuleHistories.toJson(r), 7);
            assertThat(parsed)
                    .as(RandomRuleHistories.toJson(r))
                    .isEqualTo(
                            new Rule(
                                    r.id(),
                                    r.description(),
                                    r.severity(),
                                    r.mode(),
                                    r.window(),
                                    r.params(),
                                    r.steps(),
                                    r.summary(),
                                    "7"));
        }
    }

    @Test
    void theSameSeedGivesTheSameHistoryAndOtherSeedsOtherOnes() {
        RuleSet base = base(4);
        RuleHistory once = RandomRuleHistories.generate(4, base, FROM, UNTIL);
        RuleHistory again = RandomRuleHistories.generate(4, base, FROM, UNTIL);

        assertThat(again).isEqualTo(once);
        assertThat(RandomRuleHistories.toJsonl(again)).isEqualTo(RandomRuleHistories.toJsonl(once));
        assertThat(RandomRuleHistories.generate(5, base, FROM, UNTIL)).isNotEqualTo(once);
    }

    @Test
    void theSeedsCoverEveryKindOfChangeBetweenVersions() {
        Set<String> seen = new TreeSet<>();
        for (Generated g : generated) {
            RuleHistory history = g.history();
            Map<Instant, Set<String>> idsAt = new HashMap<>();
            for (RuleVersion v : history.versions()) {
                idsAt.computeIfAbsent(v.effectiveFrom(), k -> new HashSet<>()).add(v.ruleId());
                if (v.effectiveFrom().isBefore(FROM)) {
                    seen.add("a version in force before the range");
                }
                seen.add(g.base().rule(v.ruleId()) != null ? "an id of the file" : "a new id");
            }
            if (idsAt.values().stream().anyMatch(ids -> ids.size() > 1)) {
                seen.add("versions of two ids at one instant");
            }
            for (String id : history.ruleIds()) {
                classify(history.timeline(id), seen);
            }
        }

        assertThat(seen)
                .contains(
                        "threshold lowered",
                        "threshold raised",
                        "times lowered",
                        "times raised",
                        "parameter lowered",
                        "parameter raised",
                        "window shortened",
                        "window lengthened",
                        "active to shadow",
                        "shadow to active",
                        "disabled then re-enabled",
                        "absence-ending after event-ending",
                        "event-ending after absence-ending",
                        "two versions of one id at one instant",
                        "a later version taking effect first",
                        "a version in force before the range",
                        "versions of two ids at one instant",
                        "an id of the file",
                        "a new id");
    }

    /** Names the changes between neighbours of one id's timeline. */
    private static void classify(List<RuleVersion> line, Set<String> seen) {
        for (int i = 1; i < line.size(); i++) {
            RuleVersion before = line.get(i - 1);
            RuleVersion after = line.get(i);
            Rule a = before.rule();
            Rule b = after.rule();
            if (before.effectiveFrom().equals(after.effectiveFrom())) {
                seen.add("two versions of one id at one instant");
            }
            if (before.ruleVersion() > after.ruleVersion()) {
                seen.add("a later version taking effect first");
            }
            int window = b.window().compareTo(a.window());
            if (window != 0) {
                seen.add(window < 0 ? "window shortened" : "window lengthened");
            }
            if (a.mode() == RuleMode.ACTIVE && b.mode() == RuleMode.SHADOW) {
                seen.add("active to shadow");
            }
            if (a.mode() == RuleMode.SHADOW && b.mode() == RuleMode.ACTIVE) {
                seen.add("shadow to active");
            }
            if (i >= 2
                    && line.get(i - 2).rule().mode() != RuleMode.DISABLED
                    && a.mode() == RuleMode.DISABLED
                    && b.mode() != RuleMode.DISABLED) {
                seen.add("disabled then re-enabled");
            }
            if (!a.endsWithAbsence() && b.endsWithAbsence()) {
                seen.add("absence-ending after event-ending");
            }
            if (a.endsWithAbsence() && !b.endsWithAbsence()) {
                seen.add("event-ending after absence-ending");
            }
            thresholds(a, b, seen);
        }
    }

    /** A lowered or raised {@code times} of a step, or numeric parameter, of the same steps. */
    private static void thresholds(Rule a, Rule b, Set<String> seen) {
        for (Step s : b.steps()) {
            Step old = a.step(s.name());
            if (old != null && !old.absent() && !s.absent()) {
                int c = Integer.compare(s.times().min(), old.times().min());
                if (c != 0) {
                    seen.add(c < 0 ? "times lowered" : "times raised");
                    seen.add(c < 0 ? "threshold lowered" : "threshold raised");
                }
            }
        }
        for (Map.Entry<String, ParamValue> p : b.params().entrySet()) {
            ParamValue old = a.params().get(p.getKey());
            Integer c = old == null ? null : compare(p.getValue(), old);
            if (c != null && c != 0) {
                seen.add(c < 0 ? "parameter lowered" : "parameter raised");
                seen.add(c < 0 ? "threshold lowered" : "threshold raised");
            }
        }
    }

    /** The order of two numeric values of one kind, or null. */
    private static Integer compare(ParamValue x, ParamValue y) {
        if (x.kind() != y.kind()) {
            return null;
        }
        switch (x.kind()) {
            case INT:
                return Long.compare((Long) x.value(), (Long) y.value());
            case DECIMAL:
                return ((BigDecimal) x.value()).compareTo((BigDecimal) y.value());
            case DURATION:
                return ((Duration) x.value()).compareTo((Duration) y.value());
            default:
                return null;
        }
    }

    private static void assertSameTimelines(RuleHistory actual, RuleHistory expected) {
        assertThat(new TreeSet<>(actual.ruleIds())).isEqualTo(new TreeSet<>(expected.ruleIds()));
        for (String id : expected.ruleIds()) {
            assertThat(actual.timeline(id)).as(id).isEqualTo(expected.timeline(id));
        }
    }
}
