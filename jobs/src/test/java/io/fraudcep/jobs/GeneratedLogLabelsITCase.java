package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.alert.Alert;
import io.fraudcep.sampledata.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's labels and the pipeline agree on the demo fixture: every labelled positive is
 * alerted (same user, pattern, trigger, window start and detection time) and nothing else is.
 */
class GeneratedLogLabelsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void alertsExactlyTheLabelledPositivesOfTheDemoLog() throws Exception {
        Path log = Fixtures.demo();
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--input", log.toString(), "--output", dir.resolve("a.jsonl").toString());

        BacktestJob.Result result =
                BacktestJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), config);

        Set<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(log.resolve("labels.jsonl"))) {
            JsonNode label = ContractExample.read(line);
            if (label.get("positive").asBoolean()) {
                expected.add(
                        label.get("userId").asText()
                                + " "
                                + label.get("patternId").asText()
                                + " "
                                + label.get("triggerEventId").asText()
                                + " "
                                + label.get("windowStart").asText()
                                + " "
                                + label.get("detectedAt").asText());
            }
        }
        Set<String> actual = new TreeSet<>();
        for (Alert a : result.alerts()) {
            actual.add(
                    a.userId()
                            + " "
                            + a.patternId()
                            + " "
                            + a.eventIds().get(a.eventIds().size() - 1)
                            + " "
                            + io.fraudcep.model.EventTime.format(a.windowStart())
                            + " "
                            + io.fraudcep.model.EventTime.format(a.detectedAt()));
        }
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }
}
