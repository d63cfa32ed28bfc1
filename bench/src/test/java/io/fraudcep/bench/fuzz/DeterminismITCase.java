package io.fraudcep.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.bench.fuzz.DifferentialRun.Outcome;
import io.fraudcep.bench.fuzz.DifferentialRun.Replay;
import io.fraudcep.bench.fuzz.DifferentialRun.Setting;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bug 3 of "Exact on any log": the same dense log replayed at parallelism 1, 2 and 4, with
 * watermark steps from a millisecond of wall clock (thousands of small steps) to ten seconds (a few
 * huge ones), gives the same alerts, id for id, every time: the contract's.
 */
class DeterminismITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path work;

    @Test
    void aDenseLogGivesTheSameAlertsAtEveryParallelismAndWatermarkStep() throws Exception {
        List<Setting> settings = new ArrayList<>();
        for (int p : new int[] {1, 2, 4}) {
            for (long ms : new long[] {1, 200, 10_000}) {
                settings.add(new Setting(p, Duration.ofMillis(ms)));
            }
        }
        Outcome outcome =
                new DifferentialRun(StreamExecutionEnvironment::getExecutionEnvironment, work)
                        .run(11, DenseLogOptions.DEFAULT.withUsers(150), settings);

        assertThat(outcome.passed()).as(outcome.failureReport(5)).isTrue();
        List<String> first = ids(outcome.replays().get(0).alerts());
        assertThat(first).hasSize(outcome.expected().size());
        for (Replay r : outcome.replays()) {
            assertThat(ids(r.alerts())).as(r.setting().toString()).isEqualTo(first);
        }
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::alertId).sorted().toList();
    }
}
