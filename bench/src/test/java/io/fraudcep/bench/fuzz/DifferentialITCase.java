package io.fraudcep.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.bench.fuzz.DifferentialRun.Outcome;
import io.fraudcep.bench.fuzz.DifferentialRun.Setting;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.Topic;
import io.fraudcep.sampledata.fuzz.DenseLog;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.RefAlert;
import io.fraudcep.sampledata.fuzz.rules.RandomRules;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Exact on any log": on dense random logs, the pipeline's replay (bin/fraud backtest from files)
 * at parallelism 1 and 4 gives exactly the alerts that an independent reference of the contracts
 * demands, alert by alert (user, pattern, detection time, window start, matched events; for rule
 * files and rule histories also the patternVersion of the version that judged it), with no late
 * event and no dead letter. A few seeds of full size here; {@code bin/fraud fuzz} runs many.
 */
class DifferentialITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path work;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void thePipelineGivesExactlyTheAlertsTheContractDemands(long seed) throws Exception {
        Outcome outcome =
                new DifferentialRun(StreamExecutionEnvironment::getExecutionEnvironment, work)
                        .run(
                                seed,
                                DenseLogOptions.DEFAULT,
                                List.of(new Setting(1, null), new Setting(4, null)));

        // Every default rule fires on a dense log: none is compared on silence alone.
        assertThat(outcome.expectedPerPattern().keySet())
                .containsExactlyInAnyOrderElementsOf(
                        RuleFiles.defaults().evaluatedRules().stream().map(Rule::id).toList());
        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
    }

    /**
     * Every construct of the language against the contract rather than our examples: random rule
     * files (random steps, quantifiers, references to earlier steps, having, absences in the middle
     * and at the end, strict contiguity, windows, shadow mode) on smaller dense logs, compared with
     * the brute-force interpreter of rules.md, active and shadow alerts separately.
     */
    @ParameterizedTest(name = "rules seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void randomRulesGiveExactlyTheAlertsTheirDefinitionDemands(long seed) throws Exception {
        Outcome outcome =
                new DifferentialRun(StreamExecutionEnvironment::getExecutionEnvironment, work)
                        .run(
                                seed,
                                new DenseLogOptions(80, 150),
                                List.of(new Setting(1, null), new Setting(4, null)),
                                RandomRules.generate(seed));

        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
    }

    /**
     * Rule versions over event time, against rules.md's "Rule versions on the control topic": a
     * random rule file and a random history of versions of its rules and new ones (thresholds and
     * windows moved, shadow and active swapped, disabled and re-enabled, absences appended and
     * dropped; versions at one instant, before the log, out of version order), taking effect while
     * the rules match, replayed with {@code --rules-history} at parallelism 1 and 4. Every trigger
     * is judged by the version in force at its instant over its whole window, suppression is per
     * (user, rule, mode) with the judging version's window, and each alert carries its judging
     * version's patternVersion, as the reference interpreter says. Each seed's alerts include some
     * judged by a version that took effect inside their window.
     */
    @ParameterizedTest(name = "history seed {0}")
    @ValueSource(longs = {3, 6, 10, 12, 30, 31, 38})
    void randomRuleHistoriesGiveExactlyTheAlertsOfTheVersionsInForce(long seed) throws Exception {
        Outcome outcome =
                new DifferentialRun(StreamExecutionEnvironment::getExecutionEnvironment, work)
                        .runHistory(
                                seed,
                                new DenseLogOptions(40, 150),
                                List.of(new Setting(1, null), new Setting(4, null)));

        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
        // Not compared on the rule file alone: versions judge alerts, some across a change.
        assertThat(outcome.coverage().acrossAChange())
                .as("alerts of seed %d across a version change: %s", seed, outcome.coverage())
                .isPositive();
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * The velocity rule VELO (at least {@code minPayments} card payments less than 10 min apart) as
     * a control-topic version's rule object.
     */
    private static String velocity(String mode, int minPayments) {
        return ("{\"id\": \"VELO\", \"severity\": \"MEDIUM\", \"mode\": \"%s\","
                        + " \"window\": \"10m\", \"params\": {\"minPayments\": %d},"
                        + " \"steps\": [{\"name\": \"payments\", \"type\": \"CARD_PAYMENT\","
                        + " \"times\": \"$minPayments+\"}]}")
                .formatted(mode, minPayments);
    }

    private static RuleVersion version(long version, Duration at, String ruleJson) {
        return new RuleVersion(
                "VELO", version, T0.plus(at), RuleRecords.parseRule(ruleJson, version), ruleJson);
    }

    /**
     * The same end to end on a hand-made case: card payments at T0 and 1, 2 and 3 minutes later;
     * the rule file's VELO wants 3, version 1 (from 1.5 min) wants 2, version 2 (from 2.5 min) is
     * shadow. The payment at 1 min is judged by the file (no alert); the one at 2 min by version 1,
     * over its whole window, payments from before version 1 included; the one at 3 min by version
     * 2, whose shadow suppression owes nothing to version 1's active alert.
     */
    @Test
    void aVersionJudgesItsWholeWindowAndEachModeSuppressesItself() throws Exception {
        List<UserEvent> payments = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            payments.add(
                    UserEvent.builder(
                                    "e" + (i + 1),
                                    "u-1",
                                    EventType.CARD_PAYMENT,
                                    T0.plus(Duration.ofMinutes(i)))
                            .amount("20.00")
                            .build());
        }
        String rulesYaml =
                """
                version: "0"
                rules:
                  - id: VELO
                    severity: MEDIUM
                    window: 10m
                    params:
                      minPayments: 3
                    steps:
                      - name: payments
                        type: CARD_PAYMENT
                        times: $minPayments+
                """;
        RuleHistory history =
                new RuleHistory(
                        RuleFiles.parse(rulesYaml, "rules.yaml"),
                        List.of(
                                version(1, Duration.ofSeconds(90), velocity("active", 2)),
                                version(2, Duration.ofSeconds(150), velocity("shadow", 2))));

        Outcome outcome =
                new DifferentialRun(StreamExecutionEnvironment::getExecutionEnvironment, work)
                        .runHistory(
                                logOf(payments),
                                rulesYaml,
                                history,
                                List.of(new Setting(1, null), new Setting(4, null)));

        assertThat(outcome.expected())
                .containsExactly(
                        new RefAlert(
                                "u-1",
                                "VELO",
                                T0,
                                T0.plus(Duration.ofMinutes(2)),
                                List.of("e1", "e2", "e3")));
        assertThat(outcome.expectedShadow())
                .containsExactly(
                        new RefAlert(
                                "u-1",
                                "VELO",
                                T0,
                                T0.plus(Duration.ofMinutes(3)),
                                List.of("e1", "e2", "e3", "e4")));
        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
        assertThat(outcome.replays().get(0).alerts())
                .extracting(Alert::patternVersion)
                .containsExactly(RuleCanonical.patternVersion(history.versions().get(0).rule()));
    }

    /** A log of a few events, one line each, in its topic's file. */
    private static DenseLog logOf(List<UserEvent> events) {
        Map<Topic, List<DenseLog.Line>> lines = new EnumMap<>(Topic.class);
        for (UserEvent e : events) {
            lines.computeIfAbsent(Topic.of(e.type()), t -> new ArrayList<>())
                    .add(new DenseLog.Line(e, EventCodec.toJson(e)));
        }
        return new DenseLog(0, new DenseLogOptions(1, 20), lines);
    }
}
