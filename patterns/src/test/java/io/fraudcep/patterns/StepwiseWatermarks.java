package io.fraudcep.patterns;

import io.fraudcep.alert.Alert;
import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the detection core like {@code DetectionTestKit}, but emits the bounded-out-of-orderness
 * watermark (the largest event time so far minus 5 s) after every event, or after every n-th event.
 * The watermark then advances in reproducible steps, as it does on a live stream (every event) or
 * in a replay of a backlog (periodic watermarks, many events apart), instead of jumping once to the
 * end as it does when a small test log is emitted in one burst.
 */
final class StepwiseWatermarks {

    static final Duration BOUND = Duration.ofSeconds(5);

    private StepwiseWatermarks() {}

    /** A watermark after every event. */
    static List<Alert> run(List<UserEvent> events, RuleSet catalogue) throws Exception {
        return run(events, catalogue, 1);
    }

    /** A watermark after every {@code n}-th event (and the final one at the end of the log). */
    static List<Alert> run(List<UserEvent> events, RuleSet catalogue, int n) throws Exception {
        // The jobs' own settings (no Kryo, object reuse).
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionGraph.configure(env);
        env.setParallelism(2);
        WatermarkStrategy<UserEvent> everyEvent =
                WatermarkStrategy.<UserEvent>forGenerator(ctx -> new AfterEveryNthEvent(n))
                        .withTimestampAssigner((e, t) -> e.timestampMillis());
        DataStream<UserEvent> source =
                env.fromData(TypeInformation.of(UserEvent.class), events.toArray(new UserEvent[0]))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(everyEvent)
                        .setParallelism(1);
        DataStream<Alert> alerts =
                DetectionGraph.build(source, catalogue, EnrichmentSettings.DEFAULTS, "").alerts();
        List<Alert> result = new ArrayList<>();
        try (CloseableIterator<Alert> it = alerts.executeAndCollect("stepwise-watermarks")) {
            it.forEachRemaining(result::add);
        }
        result.sort(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId));
        return result;
    }

    /** Emits the bounded-out-of-orderness watermark after every n-th event, never by the clock. */
    static final class AfterEveryNthEvent implements WatermarkGenerator<UserEvent> {

        private final int n;
        private long maxTimestamp = Long.MIN_VALUE + BOUND.toMillis() + 1;
        private long seen;

        AfterEveryNthEvent(int n) {
            this.n = n;
        }

        @Override
        public void onEvent(UserEvent event, long timestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            if (++seen % n == 0) {
                output.emitWatermark(new Watermark(maxTimestamp - BOUND.toMillis() - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
