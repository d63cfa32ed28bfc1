package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.engine.RuleEngine;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEventOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The detection core shared by every job: accepted events (with event-time timestamps and
 * watermarks) in, alerts out.
 *
 * <pre>
 * events -keyBy(userId)-> rule-engine (enrichment + rules) -+-> alerts
 * rule changes -broadcast-^                                +-> shadow alerts, late, duplicates
 * </pre>
 *
 * <p>There is one shuffle, into the detection operator ({@link DetectionOperator}), which releases
 * each user's accepted events in event-time order with the facts rules read and evaluates every
 * rule version in force on them. Rule versions applied while the job runs come on its second,
 * broadcast input; a job without them (a replay, which knows its whole rule history up front) gets
 * an empty one. The operator's uid is stable.
 */
public final class DetectionGraph {

    public static final String ENGINE_UID = "rule-engine";

    /**
     * The detection operator's maximum parallelism: users are hashed into this many key groups, the
     * unit in which state moves when a job is rescaled, fixed for the life of its savepoints. 4096
     * lets a job grow to 4096 subtasks, and at 64 subtasks (the sizing guide's 20 M users) gives
     * each 64 key groups, so users spread within 1.6 % of even; the cost is a few bytes per key
     * group in each checkpoint and a two-byte key-group prefix on RocksDB keys (over 128).
     */
    public static final int MAX_PARALLELISM = 4096;

    /** The look-back horizon of the rules when a job does not set one: 24 hours. */
    public static final Duration DEFAULT_RULE_HORIZON = RuleHistory.DEFAULT_HORIZON;

    private DetectionGraph() {}

    /**
     * The settings every job of this project runs with, and every test of the graph:
     *
     * <ul>
     *   <li>generic types off: our types are POJOs and records, so a Kryo fallback is a bug and
     *       fails when the job is built;
     *   <li>object reuse on: every type that flows between operators is an immutable record, so
     *       chained operators may share an instance instead of each receiving a deep copy.
     * </ul>
     */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        pipeline.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(pipeline);
    }

    /** The streams the core produces. */
    public record Outputs(
            DataStream<Alert> alerts,
            DataStream<Alert> shadowAlerts,
            DataStream<UserEvent> lateEvents,
            DataStream<UserEvent> duplicates) {}

    /** The core for a fixed rule set, with the default horizon and no versions at run time. */
    public static Outputs build(
            DataStream<UserEvent> events,
            RuleSet rules,
            EnrichmentSettings enrichment,
            String uidPrefix) {
        return build(
                events, RuleHistory.of(rules), null, enrichment, DEFAULT_RULE_HORIZON, uidPrefix);
    }

    /**
     * Builds the core on {@code events}, which must carry event-time timestamps and watermarks,
     * with its operator's uid and name prefixed by {@code uidPrefix}, so a job can run a second
     * core (a backtest's what-if rules) on the same events. The empty prefix is the live job's.
     *
     * @param rules the rule file's rules and the versions known when the job is built
     * @param changes versions applied while the job runs (from the version gate), or null
     * @param horizon how far back every version may look (window plus absence period)
     */
    public static Outputs build(
            DataStream<UserEvent> events,
            RuleHistory rules,
            DataStream<RuleChange> changes,
            EnrichmentSettings enrichment,
            Duration horizon,
            String uidPrefix) {
        RuleEngine engine = new RuleEngine(rules, horizon);
        DataStream<RuleChange> versions =
                changes != null
                        ? changes
                        : events.flatMap(new NoChanges())
                                .returns(TypeInformation.of(RuleChange.class))
                                .name(uidPrefix + "no-rule-changes")
                                .uid(uidPrefix + "no-rule-changes");
        SingleOutputStreamOperator<Alert> alerts =
                events.keyBy(new EventUser())
                        .connect(versions.broadcast())
                        .transform(
                                uidPrefix + ENGINE_UID,
                                TypeInformation.of(Alert.class),
                                new DetectionOperator(enrichment, engine))
                        .uid(uidPrefix + ENGINE_UID)
                        .setMaxParallelism(MAX_PARALLELISM);
        return new Outputs(
                alerts,
                alerts.getSideOutput(DetectionOperator.SHADOW_ALERTS),
                alerts.getSideOutput(UserEventOperator.LATE),
                alerts.getSideOutput(UserEventOperator.DUPLICATES));
    }

    /**
     * The second input of a job without rule changes: no record, and the events' watermark, so it
     * never holds the operator back.
     */
    static final class NoChanges implements FlatMapFunction<UserEvent, RuleChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(UserEvent event, Collector<RuleChange> out) {}
    }

    /** Keys events by the user id in the value, never the Kafka key. */
    public static final class EventUser implements KeySelector<UserEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(UserEvent e) {
            return e.userId();
        }
    }
}
