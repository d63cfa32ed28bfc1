package io.fraudcep.bench;

import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The naive baseline of issue 7, kept in the bench only: the same nine-pattern catalogue (default
 * parameters) built the straightforward way, so that the gain of the pipeline's design is a
 * measured ratio.
 *
 * <pre>
 * KafkaSource (KafkaLogDeserializer, same watermarks and job settings) -> drop dead letters
 *   -> keyBy(userId)
 *   -> 9 branches, each fed EVERY event of the user:
 *      BRUTE_FORCE_LOGIN  CEP: failure{5,} followedBy success, within 10 min
 *      CARD_TESTING       CEP: small payment{3,} followedBy large payment, within 15 min
 *      VELOCITY           CEP: outgoing times(10), within 5 min
 *      STRUCTURING        CEP: deposit in [9000, 10000) times(3), within 24 h
 *      MONEY_MULE         CEP: transfer-in >= 2000 followedBy outflow oneOrMore, within 2 h;
 *                         the match function checks outflows >= 80 %
 *      NEW_PAYEE_DRAIN    CEP: payee added followedBy transfer >= 5000 to that payee (iterative
 *                         condition on the earlier event), within 10 min
 *      IMPOSSIBLE_TRAVEL  CEP: geo login followedBy geo login >= 500 km away at > 1000 km/h
 *                         (iterative condition), within 6 h
 *      ACCOUNT_TAKEOVER   keyed state (every device the user ever logged in from, a MapState)
 *                         tags new-device logins -> CEP: new-device login, credential change,
 *                         transfer >= 1000, within 30 min
 *      DORMANT_ACCOUNT    keyed state (the user's last event time, a ValueState) tags each event
 *                         with its gap -> CEP: login after >= 90 d, outflow >= 1000, within 1 h
 *   -> union -> count per pattern -> KafkaSink (at-least-once) to an alerts topic
 * </pre>
 *
 * <p>What it leaves out compared with the pipeline: no filtering before CEP (every CEP operator
 * buffers every event of the user until the watermark and runs its NFA on it), no shared enrichment
 * (two history states of its own, updated in arrival order, not event-time order), no
 * de-duplication, no exact-window checks, no alert decider or suppression, and a plain {@code
 * patternId,userId,eventId} record instead of the alert JSON. It is a generous baseline in one
 * respect: like the pipeline it shuffles once (the history taggers are reinterpreted as keyed
 * streams instead of keyed again), so the ratio measures the pattern design, not an extra network
 * hop.
 */
final class NaiveBaseline {

    static final String MATCHES_ACCUMULATOR_PREFIX = "naive-matches-";

    private static final long MINUTE = 60_000L;

    private NaiveBaseline() {}

    /** One match of a naive pattern. */
    public record NaiveMatch(String patternId, String userId, String triggerEventId, int events) {}

    /** An event with the history fact one naive pattern keeps for itself. */
    public record Tagged(UserEvent event, boolean flag) {}

    /** Builds the baseline on {@code env}, reading the input topics from earliest to latest. */
    static void build(
            StreamExecutionEnvironment env,
            KafkaSettings kafka,
            String groupId,
            String alertsTopic,
            int parallelism,
            Duration outOfOrderness,
            Duration idleTimeout) {
        // The pipeline's job settings (object reuse on, generic types off): the comparison is
        // about the graph, not the configuration.
        FraudPipeline.configure(env);
        env.setParallelism(parallelism);

        DataStream<UserEvent> events =
                env.fromSource(
                                kafka.source(
                                        groupId,
                                        OffsetsInitializer.earliest(),
                                        OffsetsInitializer.latest(),
                                        null),
                                FraudPipeline.watermarks(outOfOrderness, idleTimeout),
                                "kafka-source")
                        .uid("naive-kafka-source")
                        .flatMap(new AcceptedOnly())
                        .returns(TypeInformation.of(UserEvent.class))
                        .name("naive-drop-dead-letters");
        KeyedStream<UserEvent, String> byUser = events.keyBy(new UserKey());

        TypeInformation<NaiveMatch> matchType = TypeInformation.of(NaiveMatch.class);
        List<DataStream<NaiveMatch>> matches = new ArrayList<>();
        matches.add(cep(byUser, bruteForce(), "BRUTE_FORCE_LOGIN", matchType));
        matches.add(cep(byUser, cardTesting(), "CARD_TESTING", matchType));
        matches.add(cep(byUser, velocity(), "VELOCITY", matchType));
        matches.add(cep(byUser, structuring(), "STRUCTURING", matchType));
        matches.add(
                CEP.pattern(byUser, moneyMule())
                        .process(new MoneyMuleMatch())
                        .returns(matchType)
                        .name("naive-money-mule")
                        .uid("naive-money-mule"));
        matches.add(cep(byUser, newPayeeDrain(), "NEW_PAYEE_DRAIN", matchType));
        matches.add(cep(byUser, impossibleTravel(), "IMPOSSIBLE_TRAVEL", matchType));

        TypeInformation<Tagged> taggedType = TypeInformation.of(Tagged.class);
        KeyedStream<Tagged, String> devices =
                DataStreamUtils.reinterpretAsKeyedStream(
                        byUser.process(new DeviceHistory())
                                .returns(taggedType)
                                .name("naive-device-history")
                                .uid("naive-device-history"),
                        new TaggedUserKey(),
                        Types.STRING);
        matches.add(
                CEP.pattern(devices, accountTakeover())
                        .process(new TaggedMatch("ACCOUNT_TAKEOVER"))
                        .returns(matchType)
                        .name("naive-account-takeover")
                        .uid("naive-account-takeover"));
        KeyedStream<Tagged, String> gaps =
                DataStreamUtils.reinterpretAsKeyedStream(
                        byUser.process(new LastActivity())
                                .returns(taggedType)
                                .name("naive-last-activity")
                                .uid("naive-last-activity"),
                        new TaggedUserKey(),
                        Types.STRING);
        matches.add(
                CEP.pattern(gaps, dormantAccount())
                        .process(new TaggedMatch("DORMANT_ACCOUNT"))
                        .returns(matchType)
                        .name("naive-dormant-account")
                        .uid("naive-dormant-account"));

        DataStream<NaiveMatch> all = matches.get(0);
        @SuppressWarnings("unchecked")
        DataStream<NaiveMatch>[] rest =
                matches.subList(1, matches.size()).toArray(new DataStream[0]);
        all.union(rest)
                .map(new CountPerPattern())
                .returns(matchType)
                .name("naive-count")
                .sinkTo(
                        KafkaSink.<NaiveMatch>builder()
                                .setBootstrapServers(kafka.bootstrapServers())
                                .setKafkaProducerConfig(kafka.clientProperties())
                                .setRecordSerializer(new MatchSerializer(alertsTopic))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .name("naive-alert-sink")
                .uid("naive-alert-sink");
    }

    private static DataStream<NaiveMatch> cep(
            KeyedStream<UserEvent, String> byUser,
            Pattern<UserEvent, ?> pattern,
            String id,
            TypeInformation<NaiveMatch> type) {
        String slug = "naive-" + id.toLowerCase().replace('_', '-');
        return CEP.pattern(byUser, pattern)
                .process(new EventMatch(id))
                .returns(type)
                .name(slug)
                .uid(slug);
    }

    // ---- the patterns, on raw events ---------------------------------------------------------

    static Pattern<UserEvent, ?> bruteForce() {
        return Pattern.<UserEvent>begin("failures")
                .where(SimpleCondition.of(e -> e.type() == EventType.LOGIN_FAILURE))
                .timesOrMore(5)
                .followedBy("success")
                .where(SimpleCondition.of(e -> e.type() == EventType.LOGIN_SUCCESS))
                .within(Duration.ofMinutes(10));
    }

    static Pattern<UserEvent, ?> cardTesting() {
        return Pattern.<UserEvent>begin("small")
                .where(
                        SimpleCondition.of(
                                e -> e.type() == EventType.CARD_PAYMENT && e.amount() < 500))
                .timesOrMore(3)
                .followedBy("large")
                .where(
                        SimpleCondition.of(
                                e -> e.type() == EventType.CARD_PAYMENT && e.amount() >= 50_000))
                .within(Duration.ofMinutes(15));
    }

    static Pattern<UserEvent, ?> velocity() {
        return Pattern.<UserEvent>begin("outgoing")
                .where(SimpleCondition.of(e -> e.type().isOutgoing()))
                .times(10)
                .within(Duration.ofMinutes(5));
    }

    static Pattern<UserEvent, ?> structuring() {
        return Pattern.<UserEvent>begin("deposits")
                .where(
                        SimpleCondition.of(
                                e ->
                                        e.type() == EventType.DEPOSIT
                                                && e.amount() >= 900_000
                                                && e.amount() < 1_000_000))
                .times(3)
                .within(Duration.ofHours(24));
    }

    static Pattern<UserEvent, ?> moneyMule() {
        return Pattern.<UserEvent>begin("in")
                .where(
                        SimpleCondition.of(
                                e -> e.type() == EventType.TRANSFER_IN && e.amount() >= 200_000))
                .followedBy("out")
                .where(
                        SimpleCondition.of(
                                e ->
                                        e.type() == EventType.TRANSFER_OUT
                                                || e.type() == EventType.WITHDRAWAL))
                .oneOrMore()
                .within(Duration.ofHours(2));
    }

    static Pattern<UserEvent, ?> newPayeeDrain() {
        return Pattern.<UserEvent>begin("payee")
                .where(SimpleCondition.of(e -> e.type() == EventType.PAYEE_ADDED))
                .followedBy("drain")
                .where(new DrainToPayee())
                .within(Duration.ofMinutes(10));
    }

    static Pattern<UserEvent, ?> impossibleTravel() {
        return Pattern.<UserEvent>begin("from")
                .where(SimpleCondition.of(NaiveBaseline::isGeoLogin))
                .followedBy("to")
                .where(new TooFarTooFast())
                .within(Duration.ofHours(6));
    }

    static Pattern<Tagged, ?> accountTakeover() {
        return Pattern.<Tagged>begin("login")
                .where(
                        SimpleCondition.of(
                                t -> t.event().type() == EventType.LOGIN_SUCCESS && t.flag()))
                .followedBy("change")
                .where(SimpleCondition.of(t -> t.event().type().isCredentialChange()))
                .followedBy("transfer")
                .where(
                        SimpleCondition.of(
                                t ->
                                        t.event().type() == EventType.TRANSFER_OUT
                                                && t.event().amount() >= 100_000))
                .within(Duration.ofMinutes(30));
    }

    static Pattern<Tagged, ?> dormantAccount() {
        return Pattern.<Tagged>begin("login")
                .where(
                        SimpleCondition.of(
                                t -> t.event().type() == EventType.LOGIN_SUCCESS && t.flag()))
                .followedBy("outflow")
                .where(
                        SimpleCondition.of(
                                t ->
                                        (t.event().type() == EventType.TRANSFER_OUT
                                                        || t.event().type() == EventType.WITHDRAWAL)
                                                && t.event().amount() >= 100_000))
                .within(Duration.ofHours(1));
    }

    static boolean isGeoLogin(UserEvent e) {
        return e.type() == EventType.LOGIN_SUCCESS && e.hasCoordinates();
    }

    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a =
                Math.sin(dLat / 2) * Math.sin(dLat / 2)
                        + Math.cos(Math.toRadians(lat1))
                                * Math.cos(Math.toRadians(lat2))
                                * Math.sin(dLon / 2)
                                * Math.sin(dLon / 2);
        return 2 * 6371.0 * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }

    // ---- functions ---------------------------------------------------------------------------

    static final class AcceptedOnly implements FlatMapFunction<SourceRecord, UserEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SourceRecord r, Collector<UserEvent> out) {
            if (r.event() != null) {
                out.collect(r.event());
            }
        }
    }

    static final class UserKey implements KeySelector<UserEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(UserEvent e) {
            return e.userId();
        }
    }

    static final class TaggedUserKey implements KeySelector<Tagged, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Tagged t) {
            return t.event().userId();
        }
    }

    /** NEW_PAYEE_DRAIN's drain: a large transfer to the payee the match's first event added. */
    static final class DrainToPayee extends IterativeCondition<UserEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(UserEvent e, Context<UserEvent> ctx) throws Exception {
            if (e.type() != EventType.TRANSFER_OUT || e.amount() < 500_000) {
                return false;
            }
            for (UserEvent payee : ctx.getEventsForPattern("payee")) {
                if (payee.payeeId() != null && payee.payeeId().equals(e.counterpartyId())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** IMPOSSIBLE_TRAVEL's second login: far from the first and faster than a plane. */
    static final class TooFarTooFast extends IterativeCondition<UserEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(UserEvent e, Context<UserEvent> ctx) throws Exception {
            if (!isGeoLogin(e)) {
                return false;
            }
            for (UserEvent from : ctx.getEventsForPattern("from")) {
                double km = haversineKm(from.lat(), from.lon(), e.lat(), e.lon());
                double hours = (e.timestampMillis() - from.timestampMillis()) / 3_600_000.0;
                if (km >= 500 && (hours <= 0 || km / hours > 1000)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Every device the user ever logged in from; tags logins from a device not seen before. */
    static final class DeviceHistory extends KeyedProcessFunction<String, UserEvent, Tagged> {
        private static final long serialVersionUID = 1L;
        private transient MapState<String, Long> devices;

        @Override
        public void open(OpenContext ctx) {
            devices =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>("devices", Types.STRING, Types.LONG));
        }

        @Override
        public void processElement(UserEvent e, Context ctx, Collector<Tagged> out)
                throws Exception {
            boolean newDevice = false;
            if (e.type() == EventType.LOGIN_SUCCESS && e.deviceId() != null) {
                newDevice = !devices.isEmpty() && !devices.contains(e.deviceId());
                devices.put(e.deviceId(), e.timestampMillis());
            }
            out.collect(new Tagged(e, newDevice));
        }
    }

    /** The user's last event time; tags events that follow at least 90 days of silence. */
    static final class LastActivity extends KeyedProcessFunction<String, UserEvent, Tagged> {
        private static final long serialVersionUID = 1L;
        private static final long DORMANCY = Duration.ofDays(90).toMillis();
        private transient ValueState<Long> last;

        @Override
        public void open(OpenContext ctx) {
            last =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("last-activity", Types.LONG));
        }

        @Override
        public void processElement(UserEvent e, Context ctx, Collector<Tagged> out)
                throws Exception {
            Long previous = last.value();
            long t = e.timestampMillis();
            out.collect(new Tagged(e, previous != null && t - previous >= DORMANCY));
            if (previous == null || t > previous) {
                last.update(t);
            }
        }
    }

    static final class EventMatch extends PatternProcessFunction<UserEvent, NaiveMatch> {
        private static final long serialVersionUID = 1L;
        private final String patternId;

        EventMatch(String patternId) {
            this.patternId = patternId;
        }

        @Override
        public void processMatch(
                Map<String, List<UserEvent>> match, Context ctx, Collector<NaiveMatch> out) {
            UserEvent last = null;
            int n = 0;
            for (List<UserEvent> step : match.values()) {
                for (UserEvent e : step) {
                    n++;
                    if (last == null || e.timestampMillis() >= last.timestampMillis()) {
                        last = e;
                    }
                }
            }
            out.collect(new NaiveMatch(patternId, last.userId(), last.eventId(), n));
        }
    }

    static final class TaggedMatch extends PatternProcessFunction<Tagged, NaiveMatch> {
        private static final long serialVersionUID = 1L;
        private final String patternId;

        TaggedMatch(String patternId) {
            this.patternId = patternId;
        }

        @Override
        public void processMatch(
                Map<String, List<Tagged>> match, Context ctx, Collector<NaiveMatch> out) {
            UserEvent last = null;
            int n = 0;
            for (List<Tagged> step : match.values()) {
                for (Tagged t : step) {
                    n++;
                    if (last == null || t.event().timestampMillis() >= last.timestampMillis()) {
                        last = t.event();
                    }
                }
            }
            out.collect(new NaiveMatch(patternId, last.userId(), last.eventId(), n));
        }
    }

    /** Emits when the outflows after the transfer in reach 80 % of it. */
    static final class MoneyMuleMatch extends PatternProcessFunction<UserEvent, NaiveMatch> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<UserEvent>> match, Context ctx, Collector<NaiveMatch> out) {
            UserEvent in = match.get("in").get(0);
            List<UserEvent> outs = match.get("out");
            long total = 0;
            for (UserEvent e : outs) {
                total += e.amount();
            }
            if (total * 100 >= in.amount() * 80) {
                UserEvent last = outs.get(outs.size() - 1);
                out.collect(
                        new NaiveMatch(
                                "MONEY_MULE", last.userId(), last.eventId(), outs.size() + 1));
            }
        }
    }

    /** Counts matches per pattern in accumulators (CEP functions cannot). */
    static final class CountPerPattern extends RichMapFunction<NaiveMatch, NaiveMatch> {
        private static final long serialVersionUID = 1L;

        @Override
        public NaiveMatch map(NaiveMatch m) {
            getRuntimeContext().getLongCounter(MATCHES_ACCUMULATOR_PREFIX + m.patternId()).add(1);
            return m;
        }
    }

    static final class MatchSerializer implements KafkaRecordSerializationSchema<NaiveMatch> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        MatchSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                NaiveMatch m, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    null,
                    System.currentTimeMillis(),
                    m.userId().getBytes(StandardCharsets.UTF_8),
                    (m.patternId() + "," + m.userId() + "," + m.triggerEventId())
                            .getBytes(StandardCharsets.UTF_8));
        }
    }
}
