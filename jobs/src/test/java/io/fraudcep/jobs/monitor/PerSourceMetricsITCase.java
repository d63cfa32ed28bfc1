package io.fraudcep.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.files.JsonlLogSource;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.rules.RuleFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operational metrics a user reads in the web UI or Prometheus, registered by a real job:
 * rejected events per source partition and reason, late events per source partition, and the
 * event-time lag.
 */
class PerSourceMetricsITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void countsRejectedAndLateEventsPerSourcePartitionAndReportsTheLag() throws Exception {
        Path logins = dir.resolve("user-logins.jsonl");
        Files.writeString(
                logins,
                String.join(
                        "\n",
                        login("a", "2026-03-01T12:00:00Z"),
                        "not json",
                        login("b", "2026-03-01T12:01:00Z"),
                        "{\"eventId\":\"f\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\","
                                + "\"timestamp\":\"9999-12-31T23:59:59Z\",\"deviceId\":\"d\"}",
                        // 50 s behind the line before it: behind the 5 s bound, late.
                        login("late", "2026-03-01T12:00:10Z"),
                        login("c", "2026-03-01T12:02:00Z")),
                StandardCharsets.UTF_8);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FraudPipeline.configure(env);
        // One chain: the watermark after each event reaches the enrichment before the next one.
        env.setParallelism(1);
        WatermarkStrategy<SourceRecord> afterEveryEvent =
                WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new AfterEveryEvent())
                        .withTimestampAssigner((r, ts) -> r.eventTimeMillis());
        DataStream<SourceRecord> records =
                env.fromSource(
                        new JsonlLogSource(
                                List.of(new LogFile("user-logins", logins.toString())),
                                FutureTimestampGuard.wallClock(Duration.ofHours(1))),
                        afterEveryEvent,
                        "file-source");
        FraudPipeline.Streams streams =
                FraudPipeline.defineWorkflow(
                        records,
                        RuleFiles.defaults(),
                        null,
                        EnrichmentSettings.DEFAULTS.withObserver(
                                new EventTimeMonitor(DetectionJob.DEFAULT_IDLE_TIMEOUT)));
        streams.alerts().sinkTo(new DiscardingSink<>());
        streams.deadLetters().sinkTo(new DiscardingSink<>());
        streams.lateEvents().sinkTo(new DiscardingSink<>());
        env.execute("per-source-metrics");

        Map<String, Long> counts = new TreeMap<>();
        boolean lag = false;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                REPORTER.getMetricsByGroup().entrySet()) {
            for (Map.Entry<String, Metric> m : group.getValue().entrySet()) {
                String id = group.getKey().getMetricIdentifier(m.getKey());
                if (m.getValue() instanceof Counter c
                        && (id.endsWith(".rejectedEvents") || id.contains(".source."))) {
                    counts.merge(id.substring(id.indexOf(".source.") + 1), c.getCount(), Long::sum);
                }
                lag |=
                        id.contains(".rule-engine.")
                                && id.endsWith(".eventTimeLagMs")
                                && m.getValue() instanceof Gauge;
            }
        }
        assertThat(counts)
                .containsEntry("source.user-logins-0.reason.NOT_JSON.rejectedEvents", 1L)
                .containsEntry("source.user-logins-0.reason.FUTURE_TIMESTAMP.rejectedEvents", 1L)
                .containsEntry("source.user-logins-0.lateEvents", 1L);
        assertThat(lag).as("eventTimeLagMs gauge of rule-engine").isTrue();
    }

    /** The 5 s bounded-out-of-orderness watermark after every event, never by the clock. */
    private static final class AfterEveryEvent implements WatermarkGenerator<SourceRecord> {
        private long max = Long.MIN_VALUE + 5_001;

        @Override
        public void onEvent(SourceRecord r, long ts, WatermarkOutput out) {
            max = Math.max(max, r.eventTimeMillis());
            out.emitWatermark(new Watermark(max - 5_001));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    private static String login(String id, String time) {
        return "{\"eventId\":\""
                + id
                + "\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\""
                + time
                + "\",\"deviceId\":\"d\"}";
    }
}
