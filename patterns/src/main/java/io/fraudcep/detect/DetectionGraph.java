package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.engine.RuleEngine;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEnrichmentOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection core shared by every job: accepted events (with event-time timestamps and
 * watermarks) in, alerts out.
 *
 * <pre>
 * events -keyBy(userId)-> user-enrichment -> rule-engine -+-> alerts
 *                                                        +-> shadow alerts (side output)
 * </pre>
 *
 * <p>There is one shuffle: into the enrichment, which releases each user's accepted events in
 * event-time order with the facts rules read. Its output stays partitioned by user, so the rule
 * engine, which holds every rule of a user in one operator and each event once, is chained to it
 * without another network exchange. Both operators have stable uids.
 */
public final class DetectionGraph {

    public static final String ENRICHMENT_UID = "user-enrichment";
    public static final String ENGINE_UID = "rule-engine";

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

    /**
     * Builds the core on {@code events}, which must carry event-time timestamps and watermarks,
     * with every operator's uid and name prefixed by {@code uidPrefix}, so a job can run a second
     * core (a backtest's what-if rules) on the same events. The empty prefix is the live job's.
     */
    public static Outputs build(
            DataStream<UserEvent> events,
            RuleSet rules,
            EnrichmentSettings enrichment,
            String uidPrefix) {
        RuleEngine engine = new RuleEngine(rules.evaluatedRules());
        SingleOutputStreamOperator<EnrichedEvent> enriched =
                events.keyBy(new EventUser())
                        .transform(
                                uidPrefix + ENRICHMENT_UID,
                                TypeInformation.of(EnrichedEvent.class),
                                new UserEnrichmentOperator(enrichment))
                        .uid(uidPrefix + ENRICHMENT_UID);
        SingleOutputStreamOperator<Alert> alerts =
                DataStreamUtils.reinterpretAsKeyedStream(enriched, new EnrichedUser(), Types.STRING)
                        .process(engine)
                        .returns(TypeInformation.of(Alert.class))
                        .name(uidPrefix + ENGINE_UID)
                        .uid(uidPrefix + ENGINE_UID);
        return new Outputs(
                alerts,
                alerts.getSideOutput(RuleEngine.SHADOW_ALERTS),
                enriched.getSideOutput(UserEnrichmentOperator.LATE),
                enriched.getSideOutput(UserEnrichmentOperator.DUPLICATES));
    }

    /** Keys events by the user id in the value, never the Kafka key. */
    public static final class EventUser implements KeySelector<UserEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(UserEvent e) {
            return e.userId();
        }
    }

    static final class EnrichedUser implements KeySelector<EnrichedEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(EnrichedEvent e) {
            return e.userId();
        }
    }
}
