package io.fraudcep.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.bench.fuzz.DifferentialRun.Outcome;
import io.fraudcep.bench.fuzz.DifferentialRun.Setting;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.rules.RandomRules;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Exact on any log": on dense random logs, the pipeline's replay (bin/fraud backtest from files)
 * at parallelism 1 and 4 gives exactly the alerts that an independent reference of the contracts
 * demands, alert by alert (user, pattern, detection time, window start, matched events), with no
 * late event and no dead letter. A few seeds of full size here; {@code bin/fraud fuzz} runs many.
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
}
