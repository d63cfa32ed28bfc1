package io.fraudcep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.options.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code bin/fraud bench} on a tiny log and a short live load, with the broker in
 * this JVM: one run makes every measurement, which lands in the tables, the summary and the JSON.
 * No timing is asserted; the figures that matter come from the full runs on a quiet machine
 * (README, Performance).
 */
class BenchCommandITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;

    @Test
    void oneRunMeasuresThroughputLiveLatencyAndStatePerUser() throws Exception {
        Path json = work.resolve("bench.json");
        String printed =
                run(
                        "--users",
                        "200",
                        "--days",
                        "7",
                        "--runs",
                        "1",
                        "--rate",
                        "500",
                        "--background-users",
                        "4000",
                        "--warm-up",
                        "2s",
                        "--duration",
                        "4s",
                        "--burst-every",
                        "250ms",
                        "--modes",
                        "at-least-once-ordered",
                        "--broker",
                        "embedded",
                        "--work-dir",
                        work.toString(),
                        "--json",
                        json.toString());

        assertThat(printed)
                .contains("limit: KafkaSource", "pipeline from Kafka", "pipeline from files")
                .contains("naive baseline", "pipeline from Kafka / naive baseline")
                .contains("per user in the log", "rule-engine")
                .contains("Summary", "latency at-least-once-ordered", "state per user");
        JsonNode r = JSON.readTree(json.toFile()).get("throughput");
        long events = r.at("/log/events").asLong();
        assertThat(events).isPositive();
        for (String kind : new String[] {"limit", "pipeline-kafka", "pipeline-files", "naive"}) {
            JsonNode k = r.at("/results/" + kind);
            assertThat(k.get("medianEventsPerSecond").asLong()).as(kind).isPositive();
            assertThat(k.at("/runs/0/events").asLong()).as(kind).isEqualTo(events);
            assertThat(k.get("peakHeapBytes").asLong()).as(kind).isPositive();
        }
        assertThat(r.at("/results/pipeline-files/runs/0/alerts").asLong()).isPositive();
        assertThat(r.at("/results/naive/runs/0/matches").asLong()).isPositive();
        assertThat(r.at("/ratios/pipelineKafkaOverLimit").asDouble()).isPositive();
        assertThat(r.at("/state/users").asLong()).isEqualTo(200);
        assertThat(r.at("/state/bytesPerUser").asLong()).isPositive();
        assertThat(r.at("/state/bytesPerOperator/rule-engine").asLong()).isPositive();

        JsonNode latency = JSON.readTree(json.toFile()).get("latency");
        assertThat(latency.at("/settings/watermarkIntervalMillis").asLong())
                .isEqualTo(DetectionJob.DEFAULT_WATERMARK_INTERVAL.toMillis());
        JsonNode mode = latency.at("/modes/0");
        assertThat(mode.get("expectedAlerts").asInt()).isGreaterThan(5);
        assertThat(mode.get("missing").asInt()).isZero();
        assertThat(mode.get("alerts").asInt()).isEqualTo(mode.get("expectedAlerts").asInt());
        assertThat(mode.at("/alertsPerPattern").size()).isEqualTo(4);
        assertThat(mode.at("/appendToAppendMillis/p50").asLong()).isNotNegative();
        assertThat(mode.get("lateEvents").asLong()).isZero();
    }

    @Test
    void comparesTheLiveJobWithoutAndWithRuleVersionsPublishedDuringTheRun() throws Exception {
        Path json = work.resolve("versions.json");
        String printed =
                run(
                        "--mode",
                        "throughput",
                        "--only",
                        "pipeline-kafka-versions",
                        "--rule-versions",
                        "5",
                        "--users",
                        "200",
                        "--days",
                        "7",
                        "--runs",
                        "1",
                        "--no-state",
                        "--retries",
                        "0",
                        "--broker",
                        "embedded",
                        "--work-dir",
                        work.toString(),
                        "--json",
                        json.toString());

        assertThat(printed)
                .contains("pipeline from Kafka, unbounded, no rule versions")
                .contains("pipeline from Kafka, unbounded, with rule versions published")
                .contains("without rule versions", "with 5 rule versions", "difference")
                .contains("versions applied per run: 5 (late: ")
                .containsPattern("within 10 % of the run without: (yes|NO)");
        JsonNode r = JSON.readTree(json.toFile()).get("throughput");
        long events = r.at("/log/events").asLong();
        for (String kind : new String[] {"pipeline-kafka-live", "pipeline-kafka-versions"}) {
            assertThat(r.at("/results/" + kind + "/runs/0/events").asLong())
                    .as(kind)
                    .isEqualTo(events);
            assertThat(r.at("/results/" + kind + "/runs/0/jvmCpuSeconds").asDouble())
                    .as(kind)
                    .isPositive();
        }
        JsonNode v = r.get("ruleVersions");
        assertThat(v.get("versionsPerRun").asInt()).isEqualTo(5);
        assertThat(v.at("/appliedPerRun/0").asInt()).isEqualTo(5);
        assertThat(v.at("/rejectedPerRun/0").asInt()).isZero();
        assertThat(v.at("/latePerRun/0").asInt()).isBetween(0, 5);
        assertThat(v.at("/withoutRuleVersions/medianEventsPerSecond").asLong()).isPositive();
        assertThat(v.at("/withRuleVersions/medianEventsPerSecond").asLong()).isPositive();
        assertThat(v.at("/withoutRuleVersions/medianJvmCpuSeconds").asDouble()).isPositive();
        assertThat(v.at("/withRuleVersions/medianJvmCpuSeconds").asDouble()).isPositive();
        assertThat(v.has("eventsPerSecondDifference")).isTrue();
        assertThat(v.get("withinTolerance").isBoolean()).isTrue();
    }

    @Test
    void scaleModeReportsThroughputStatePerUserCheckpointsAndRestorePerStepOnRocksDb()
            throws Exception {
        Path json = work.resolve("scale.json");
        String printed =
                run(
                        "--mode",
                        "scale",
                        "--state-backend",
                        "rocksdb",
                        "--users",
                        "400",
                        "--steps",
                        "100,400",
                        "--scale-events",
                        "3000",
                        "--checkpoint-interval",
                        "1s",
                        "--broker",
                        "embedded",
                        "--work-dir",
                        work.toString(),
                        "--json",
                        json.toString());

        assertThat(printed)
                .contains("Scale: state backend rocksdb")
                .contains("measured e/s", "B/user sp", "restore s", "incr. bytes")
                .contains("Growth 100 -> 400 users");
        JsonNode r = JSON.readTree(json.toFile());
        assertThat(r.at("/settings/stateBackend").asText()).isEqualTo("rocksdb");
        JsonNode steps = r.get("steps");
        assertThat(steps).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode step = steps.get(i);
            int users = i == 0 ? 100 : 400;
            assertThat(step.get("stateBackend").asText()).isEqualTo("rocksdb");
            assertThat(step.get("users").asInt()).isEqualTo(users);
            // Two events per user before T0, every one of them read.
            assertThat(step.get("prefixEvents").asLong()).isEqualTo(2L * users);
            assertThat(step.get("measuredEvents").asLong()).isEqualTo(3000);
            assertThat(step.get("measuredEventsPerSecond").asLong()).isPositive();
            assertThat(step.get("savepointBytesPerUser").asLong()).isPositive();
            assertThat(step.at("/savepointBytesPerOperator/rule-engine").asLong()).isPositive();
            assertThat(step.get("restoreSeconds").asDouble()).isPositive();
            assertThat(step.at("/checkpoints/completed").asInt()).isNotNegative();
        }
        assertThat(r.at("/growth/fromUsers").asInt()).isEqualTo(100);
        assertThat(r.at("/growth/toUsers").asInt()).isEqualTo(400);
    }

    @Test
    void namesTheOptionAtFaultBeforeMeasuringAnything() {
        assertThatThrownBy(() -> run("--state-backend", "leveldb"))
                .hasMessageContaining("--state-backend")
                .hasMessageContaining("hashmap|rocksdb|forst");
        assertThatThrownBy(() -> run("--mode", "scale", "--users", "100", "--steps", "50,200"))
                .hasMessageContaining("--steps");
        assertThatThrownBy(
                        () ->
                                run(
                                        "--mode",
                                        "latency",
                                        "--rate",
                                        "1000",
                                        "--background-users",
                                        "10"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--background-users");
        assertThatThrownBy(() -> run("--mode", "sometimes")).hasMessageContaining("--mode");
        assertThatThrownBy(() -> run("--retries", "-1"))
                .hasMessageContaining("--retries")
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> run("--buffer-timeout", "soon"))
                .hasMessageContaining("--buffer-timeout");
        assertThatThrownBy(() -> run("--only", "pipeline-kafka,versions"))
                .hasMessageContaining("--only")
                .hasMessageContaining("pipeline-kafka-versions");
        assertThatThrownBy(() -> run("--rule-versions", "0"))
                .hasMessageContaining("--rule-versions");
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertThat(BenchCommand.run(out, args)).isZero();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        return printed;
    }
}
