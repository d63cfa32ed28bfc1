package io.fraudcep.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventTimeMonitorTest {

    /** A metric group that remembers what is registered under which path. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics;
        final String prefix;

        RecordingGroup(Map<String, Metric> metrics, String prefix) {
            this.metrics = metrics;
            this.prefix = prefix;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(metrics, prefix + key + "=" + value + ".");
        }
    }

    private final Map<String, Metric> metrics = new HashMap<>();
    private EventTimeMonitor monitor;

    @BeforeEach
    void open() {
        monitor = new EventTimeMonitor(Duration.ofMinutes(15));
        monitor.open(new RecordingGroup(metrics, ""));
    }

    @Test
    void countsLateEventsPerSourcePartition() {
        monitor.onLate(event("user-logins-0"));
        monitor.onLate(event("user-logins-0"));
        monitor.onLate(event("user-transactions-3"));

        assertThat(((Counter) metrics.get("source=user-logins-0.lateEvents")).getCount())
                .isEqualTo(2);
        assertThat(((Counter) metrics.get("source=user-transactions-3.lateEvents")).getCount())
                .isEqualTo(1);
    }

    @Test
    void theLagIsTheWallClockMinusTheWatermark() {
        Gauge<?> lag = (Gauge<?>) metrics.get("eventTimeLagMs");
        assertThat(lag.getValue()).isEqualTo(-1L);

        monitor.onWatermark(System.currentTimeMillis() - 60_000);

        assertThat((Long) lag.getValue()).isBetween(60_000L, 70_000L);
    }

    @Test
    void warnsWhenLateEventsExceedASmallShare() {
        for (int i = 0; i < 5_000; i++) {
            monitor.onEvent(event("user-logins-0"));
        }
        for (int i = 0; i < 9; i++) {
            monitor.onLate(event("user-logins-0"));
        }
        long now = System.currentTimeMillis();
        monitor.onWatermark(now);
        assertThat(monitor.warning(now)).as("9 late events are below the minimum").isNull();

        monitor.onLate(event("user-logins-0"));
        assertThat(monitor.warning(now)).startsWith("10 of 5000 events in the last");
    }

    @Test
    void warnsWhenTheWatermarkStallsWhileEventsArrive() {
        long start = System.currentTimeMillis();
        monitor.onWatermark(start);
        monitor.onEvent(event("user-logins-0"));

        assertThat(monitor.warning(start + 30_000)).isNull();
        assertThat(monitor.warning(start + 61_000))
                .contains("has stayed at")
                .containsPattern("for 6[01] s while 1 events arrived")
                .contains("PT15M");
    }

    private static UserEvent event(String source) {
        return UserEvent.builder(
                        "e", "u", EventType.LOGIN_FAILURE, Instant.parse("2026-03-01T12:00:00Z"))
                .deviceId("d")
                .source(source)
                .build();
    }
}
