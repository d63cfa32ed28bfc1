package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the detection core on a list of events on the test's MiniCluster and returns the alerts,
 * sorted by detection time and id. Events are emitted in the given order with a bounded
 * out-of-orderness watermark, so tests can exercise out-of-order arrival too.
 */
public final class DetectionTestKit {

    private DetectionTestKit() {}

    public static List<Alert> run(List<UserEvent> events, RuleSet rules) throws Exception {
        return run(events, rules, 2, Duration.ofSeconds(5));
    }

    public static List<Alert> run(
            List<UserEvent> events, RuleSet rules, int parallelism, Duration outOfOrderness)
            throws Exception {
        return run(events, rules, parallelism, outOfOrderness, "hashmap");
    }

    /** As above, with keyed state in {@code stateBackend} ({@code hashmap} or {@code rocksdb}). */
    public static List<Alert> run(
            List<UserEvent> events,
            RuleSet rules,
            int parallelism,
            Duration outOfOrderness,
            String stateBackend)
            throws Exception {
        // The jobs' own settings (no Kryo, object reuse).
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionGraph.configure(env);
        Configuration backend = new Configuration();
        backend.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        env.configure(backend);
        env.setParallelism(parallelism);
        DataStream<UserEvent> source =
                env.fromData(TypeInformation.of(UserEvent.class), events.toArray(new UserEvent[0]))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<UserEvent>forBoundedOutOfOrderness(
                                                outOfOrderness)
                                        .withTimestampAssigner((e, t) -> e.timestampMillis()))
                        .setParallelism(1);
        DataStream<Alert> alerts =
                DetectionGraph.build(source, rules, EnrichmentSettings.DEFAULTS, "").alerts();
        List<Alert> result = new ArrayList<>();
        try (CloseableIterator<Alert> it = alerts.executeAndCollect("detection-test")) {
            it.forEachRemaining(result::add);
        }
        result.sort(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId));
        return result;
    }
}
