package io.fraudcep.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.bench.fuzz.DifferentialRun.Outcome;
import io.fraudcep.bench.fuzz.DifferentialRun.Setting;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
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

        assertThat(outcome.expectedPerPattern()).hasSize(9);
        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
    }
}
