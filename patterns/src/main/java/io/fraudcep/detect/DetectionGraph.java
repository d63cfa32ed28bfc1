package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertDecider;
import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEnrichmentOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.patterns.CepFraudPattern;
import io.fraudcep.patterns.EventFraudPattern;
import io.fraudcep.patterns.FraudPattern;
import io.fraudcep.patterns.PatternCatalogue;
import io.fraudcep.patterns.StatefulFraudPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection core shared by every job: accepted events (with event-time timestamps and
 * watermarks) in, alerts out.
 *
 * <pre>
 * events -keyBy(userId)-> user-enrichment -+-> filter-&lt;pattern&gt; -> pattern-&lt;pattern&gt; -+
 *                                          +-> ...                                   +-> alert-decider
 * </pre>
 *
 * <p>There is one shuffle: into the enrichment. Its output stays partitioned by user, so each
 * pattern's filter, CEP operator or state and the decider are reinterpreted as keyed streams and
 * chained without another network exchange. Each pattern receives only the events it accepts. Every
 * stateful operator has a stable uid.
 */
public final class DetectionGraph {

    public static final String ENRICHMENT_UID = "user-enrichment";
    public static final String DECIDER_UID = "alert-decider";

    private DetectionGraph() {}

    /** The streams the core produces. */
    public record Outputs(
            DataStream<Alert> alerts,
            DataStream<UserEvent> lateEvents,
            DataStream<UserEvent> duplicates) {}

    /** Builds the core on {@code events}, which must carry event-time timestamps and watermarks. */
    public static Outputs build(
            DataStream<UserEvent> events,
            PatternCatalogue catalogue,
            EnrichmentSettings enrichment) {
        return build(events, catalogue, enrichment, "");
    }

    /**
     * Builds the core with every operator's uid and name prefixed by {@code uidPrefix}, so a job
     * can run a second detection graph (e.g. a backtest's what-if configuration) on the same
     * events. The empty prefix gives the uids of {@link #build(DataStream, PatternCatalogue,
     * EnrichmentSettings)}.
     */
    public static Outputs build(
            DataStream<UserEvent> events,
            PatternCatalogue catalogue,
            EnrichmentSettings enrichment,
            String uidPrefix) {
        List<FraudPattern> patterns = catalogue.enabledPatterns();
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("the pattern configuration enables no pattern");
        }
        SingleOutputStreamOperator<EnrichedEvent> enriched =
                events.keyBy(new EventUser())
                        .transform(
                                uidPrefix + ENRICHMENT_UID,
                                TypeInformation.of(EnrichedEvent.class),
                                new UserEnrichmentOperator(enrichment))
                        .uid(uidPrefix + ENRICHMENT_UID);

        List<DataStream<Detection>> detections = new ArrayList<>();
        for (FraudPattern pattern : patterns) {
            detections.add(detect(enriched, pattern, uidPrefix));
        }
        DataStream<Detection> all = detections.get(0);
        if (detections.size() > 1) {
            all = all.union(detections.subList(1, detections.size()).toArray(new DataStream[0]));
        }
        DataStream<Alert> alerts =
                DataStreamUtils.reinterpretAsKeyedStream(all, new DetectionUser(), Types.STRING)
                        .process(new AlertDecider(catalogue.alertPolicies()))
                        .returns(TypeInformation.of(Alert.class))
                        .name(uidPrefix + DECIDER_UID)
                        .uid(uidPrefix + DECIDER_UID);
        return new Outputs(
                alerts,
                enriched.getSideOutput(UserEnrichmentOperator.LATE),
                enriched.getSideOutput(UserEnrichmentOperator.DUPLICATES));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DataStream<Detection> detect(
            DataStream<EnrichedEvent> enriched, FraudPattern pattern, String uidPrefix) {
        String slug = slug(pattern.id());
        SingleOutputStreamOperator<EnrichedEvent> relevant =
                enriched.filter(new PatternFilter(pattern))
                        .name(uidPrefix + "filter-" + slug)
                        .uid(uidPrefix + "filter-" + slug);
        TypeInformation<Detection> detectionType = TypeInformation.of(Detection.class);
        if (pattern instanceof EventFraudPattern single) {
            return relevant.flatMap(new EventPatternFunction(single))
                    .returns(detectionType)
                    .name(uidPrefix + "pattern-" + slug)
                    .uid(uidPrefix + "pattern-" + slug);
        }
        KeyedStream<EnrichedEvent, String> keyed =
                DataStreamUtils.reinterpretAsKeyedStream(
                        relevant, new EnrichedUser(), Types.STRING);
        if (pattern instanceof CepFraudPattern cep) {
            return CEP.pattern(keyed, cep.pattern(), new EventOrder())
                    .process(new CepDetectionFunction(cep))
                    .returns(detectionType)
                    .name(uidPrefix + "pattern-" + slug)
                    .uid(uidPrefix + "pattern-" + slug);
        }
        if (pattern instanceof StatefulFraudPattern stateful) {
            return keyed.process(new StatefulPatternFunction(stateful))
                    .returns(detectionType)
                    .name(uidPrefix + "pattern-" + slug)
                    .uid(uidPrefix + "pattern-" + slug);
        }
        throw new IllegalArgumentException("unsupported pattern kind: " + pattern.getClass());
    }

    /** BRUTE_FORCE_LOGIN -> brute-force-login. */
    public static String slug(String patternId) {
        return patternId.toLowerCase(Locale.ROOT).replace('_', '-');
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

    static final class DetectionUser implements KeySelector<Detection, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Detection d) {
            return d.userId();
        }
    }
}
