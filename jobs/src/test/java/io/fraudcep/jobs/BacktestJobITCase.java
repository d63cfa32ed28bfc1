package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The backtest from files: the contract's alerts, identical at every parallelism. */
class BacktestJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path dir;

    @Test
    void replaysTheContractLogFromFilesIntoExactlyItsAlerts() throws Exception {
        BacktestJob.Config config = config(2);
        BacktestJob.Result result = run(config);
        BacktestJob.write(config, result);

        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(config.output())) {
            keys.add(ContractExample.alertKey(ContractExample.read(line)));
        }
        assertThat(keys).isEqualTo(ContractExample.expectedAlerts());
        assertThat(Files.readAllLines(config.deadLetters())).hasSize(ContractExample.BAD_RECORDS);
        assertThat(result.lateEvents()).isEmpty();
        assertThat(result.duplicates()).isEqualTo(ContractExample.DUPLICATES);
        assertThat(result.eventsRead())
                .isEqualTo(
                        ContractExample.TOPIC_FILES.stream()
                                .mapToLong(f -> ContractExample.lines(f).size())
                                .sum());
    }

    @Test
    void givesTheSameAlertsAtParallelismOneTwoAndFour() throws Exception {
        List<Alert> p1 = run(config(1)).alerts();
        List<Alert> p2 = run(config(2)).alerts();
        List<Alert> p4 = run(config(4)).alerts();

        assertThat(p1).hasSize(ContractExample.expectedAlerts().size());
        assertThat(p2).isEqualTo(p1);
        assertThat(p4).isEqualTo(p1);
    }

    private BacktestJob.Config config(int parallelism) {
        Path input = dir.resolve("in");
        if (!Files.isDirectory(input)) {
            ContractExample.copyLogTo(input);
        }
        return BacktestJob.Config.parse(
                "--input", input.toString(),
                "--output", dir.resolve("p" + parallelism + "/alerts.jsonl").toString(),
                "--parallelism", Integer.toString(parallelism));
    }

    private static BacktestJob.Result run(BacktestJob.Config config) throws Exception {
        return BacktestJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }
}
