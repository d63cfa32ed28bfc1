package io.fraudcep.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.model.EventType;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.sampledata.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The log and the rule versions of {@link RuleVersionsITCase}: three phases of event time, each
 * ending with a tick in every partition of every input topic (so the watermark passes the phase
 * without idleness), background users whose activity no rule of any version alerts on, and scenario
 * users whose alerts show which version of which rule judged them.
 *
 * <p>The rule versions, derived from the shipped rules-default.yaml:
 *
 * <ul>
 *   <li>(a) {@link #velocityRecord}: VELOCITY v1, 5 outgoing transactions instead of 10, from
 *       {@link #VELOCITY_FROM} (phase 1); published before the job starts;
 *   <li>(b) {@link #shadowRecord}: NEW_PAYEE_DRAIN v1 in shadow, from {@link #SHADOW_FROM} (phase
 *       2); published after phase 1, before phase 2 exists: timely;
 *   <li>(c) {@link #cardTestingRecord}: CARD_TESTING v1, 4 small payments instead of 3, from {@link
 *       #CARD_TESTING_FROM} (phase 2); published after phase 2 was processed: late, applied from
 *       the job's watermark instead.
 * </ul>
 */
final class RuleVersionsLog {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** Partitions of every input topic: the highest parallelism of the test. */
    static final int PARTITIONS = 4;

    static final int PHASES = 3;

    /** Where phase i starts; its tick, the last event of each partition, is an hour later. */
    static Instant phaseStart(int phase) {
        return T0.plus(Duration.ofHours(2L * phase));
    }

    static Instant phaseTick(int phase) {
        return phaseStart(phase).plus(Duration.ofHours(1));
    }

    /** After every event: the end of a replay's range. */
    static final Instant END = phaseStart(PHASES);

    static final Instant VELOCITY_FROM = T0.plus(Duration.ofMinutes(30));
    static final Instant SHADOW_FROM = phaseStart(1).plus(Duration.ofMinutes(30));
    static final Instant CARD_TESTING_FROM = phaseStart(1).plus(Duration.ofMinutes(20));

    /** One line of an input topic file: its topic, partition (null: by key) and JSON value. */
    record Line(Topic topic, Integer partition, String userId, Instant time, String json) {}

    /**
     * An alert the log must give.
     *
     * @param ruleId the rule
     * @param patternVersion the version that judges it
     * @param userId the user
     * @param eventIds the matched events, the last one the trigger
     * @param shadow whether it goes to the shadow topic
     */
    record Expected(
            String ruleId,
            String patternVersion,
            String userId,
            List<String> eventIds,
            boolean shadow) {

        String key() {
            return RuleVersionsITCase.key(ruleId, patternVersion, userId, eventIds);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps decimals as written in the rule file (5.00 stays 5.00 in a summary). */
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    final List<List<Line>> phases = new ArrayList<>();
    final List<List<Expected>> expected = new ArrayList<>();
    final String velocityRecord;
    final String shadowRecord;
    final String cardTestingRecord;

    /** patternVersion of the shipped rules and of each published version. */
    final String velocityV1;

    final String cardTestingBase;
    final String cardTestingV1;
    final String payeeDrainBase;
    final String payeeDrainShadow;

    /** VELOCITY: the first alert under (a), mid-burst. */
    Expected velocityAcrossItsInstant;

    /** VELOCITY: the events before (a)'s instant that its first alert reaches back to. */
    final List<String> velocityEventsBeforeItsVersion = new ArrayList<>();

    /**
     * CARD_TESTING: 3 small payments then a large one in phase 2, after (c)'s effectiveFrom: an
     * alert by the shipped rule, none by (c).
     */
    Expected cardTestingJudgedByTheOldVersion;

    /**
     * CARD_TESTING: 4 small payments then a large one in phase 2, after (c)'s effectiveFrom: an
     * alert by either version, with the version's patternVersion.
     */
    Expected cardTestingJudgedByTheOldVersionToo;

    /** CARD_TESTING: the alert of phase 3 by the new version. */
    Expected cardTestingJudgedByTheNewVersion;

    /**
     * Users no alert is due on: the background, the ticks, and users on whom only a version other
     * than the one in force would alert.
     */
    final Set<String> usersWithoutAlerts = new LinkedHashSet<>();

    private final Random random = new Random(20260302L);
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    /** The events of the phase being written. */
    private final List<EventBuilder> pending = new ArrayList<>();

    private RuleVersionsLog() {
        velocityRecord =
                record(
                        "VELOCITY",
                        VELOCITY_FROM,
                        "lowered to 5 outgoing transactions",
                        r -> ((ObjectNode) r.get("params")).put("minTransactions", 5));
        shadowRecord =
                record(
                        "NEW_PAYEE_DRAIN",
                        SHADOW_FROM,
                        "to shadow while it is reviewed",
                        r -> r.put("mode", "shadow"));
        cardTestingRecord =
                record(
                        "CARD_TESTING",
                        CARD_TESTING_FROM,
                        "raised to 4 small payments",
                        r -> ((ObjectNode) r.get("params")).put("minSmallPayments", 4));
        cardTestingBase = base("CARD_TESTING");
        payeeDrainBase = base("NEW_PAYEE_DRAIN");
        velocityV1 = published(velocityRecord);
        cardTestingV1 = published(cardTestingRecord);
        payeeDrainShadow = published(shadowRecord);
        for (int phase = 0; phase < PHASES; phase++) {
            pending.clear();
            expected.add(new ArrayList<>());
            background(phase);
            switch (phase) {
                case 0 -> phaseOne();
                case 1 -> phaseTwo();
                default -> phaseThree();
            }
            ticks(phase);
            List<Line> lines = new ArrayList<>();
            pending.forEach(e -> lines.add(e.line()));
            // In event-time order: each partition then holds its events in order, as a producer
            // of a live log writes them, and none is behind its partition's watermark.
            lines.sort(Comparator.comparing(Line::time));
            phases.add(List.copyOf(lines));
        }
    }

    static RuleVersionsLog create() {
        return new RuleVersionsLog();
    }

    /** Every line of the log, in event-time order. */
    List<Line> all() {
        List<Line> all = new ArrayList<>();
        phases.forEach(all::addAll);
        return all;
    }

    List<Expected> expectedIn(int phase) {
        return expected.get(phase);
    }

    List<Expected> allExpected() {
        List<Expected> all = new ArrayList<>();
        expected.forEach(all::addAll);
        return all;
    }

    /**
     * Phase 1: VELOCITY (a) takes effect mid-burst at {@link #VELOCITY_FROM}; a burst before it is
     * judged by the shipped 10 and gives nothing; the first alert after it matches events from
     * before it. CARD_TESTING and NEW_PAYEE_DRAIN as shipped.
     */
    private void phaseOne() {
        Instant p = phaseStart(0);
        List<String> small = cardTesting("u-ct-1", p.plus(min(10)), 3);
        expect(
                "CARD_TESTING",
                cardTestingBase,
                "u-ct-1",
                small,
                false); // 3 small then the large one, as shipped

        for (int k = 0; k < 6; k++) {
            event("u-vel-before", EventType.CARD_PAYMENT, p.plus(min(20)).plusSeconds(30L * k))
                    .amount("25.00");
        }
        usersWithoutAlerts.add("u-vel-before"); // 6 within 5 minutes, before (a): under 10

        List<String> burst = new ArrayList<>();
        for (int offset : new int[] {-90, -60, -30, 15, 45, 75}) {
            burst.add(
                    event(
                                    "u-vel-straddle",
                                    EventType.CARD_PAYMENT,
                                    VELOCITY_FROM.plusSeconds(offset))
                            .amount("30.00")
                            .id);
        }
        velocityEventsBeforeItsVersion.addAll(burst.subList(0, 3));
        // The fifth triggers; the sixth is suppressed (within the window of the alert).
        velocityAcrossItsInstant =
                expect("VELOCITY", velocityV1, "u-vel-straddle", burst.subList(0, 5), false);

        payeeDrain("u-payee-1", p.plus(min(40)), p.plus(min(45)), "6000.00", payeeDrainBase, false);
    }

    /**
     * Phase 2: NEW_PAYEE_DRAIN (b) turns shadow at {@link #SHADOW_FROM}; CARD_TESTING (c) asks to
     * take effect at {@link #CARD_TESTING_FROM}, but arrives after the phase was processed, so the
     * shipped CARD_TESTING judges the whole phase.
     */
    private void phaseTwo() {
        Instant p = phaseStart(1);
        payeeDrain("u-payee-2", p.plus(min(5)), p.plus(min(8)), "7000.00", payeeDrainBase, false);

        List<String> threeSmall = cardTesting("u-ct-2", p.plus(min(21)), 3);
        cardTestingJudgedByTheOldVersion =
                expect("CARD_TESTING", cardTestingBase, "u-ct-2", threeSmall, false);

        // Payee added before (b), transfer after: (b) judges the whole window, in shadow.
        payeeDrain(
                "u-payee-3", p.plus(min(27)), p.plus(min(32)), "8000.00", payeeDrainShadow, true);
        cardTestingJudgedByTheOldVersionToo =
                expect(
                        "CARD_TESTING",
                        cardTestingBase,
                        "u-ct-3",
                        cardTesting("u-ct-3", p.plus(min(35)), 4),
                        false);
        payeeDrain(
                "u-payee-4", p.plus(min(40)), p.plus(min(44)), "5500.00", payeeDrainShadow, true);
        expect(
                "VELOCITY",
                velocityV1,
                "u-vel-2",
                outgoing("u-vel-2", EventType.WITHDRAWAL, p.plus(min(50)), 5),
                false);
    }

    /** Phase 3: every version in force, CARD_TESTING (c) from the watermark it arrived at. */
    private void phaseThree() {
        Instant p = phaseStart(2);
        cardTesting("u-ct-4", p.plus(min(5)), 3);
        usersWithoutAlerts.add("u-ct-4"); // 3 small: enough as shipped, not for (c)
        cardTestingJudgedByTheNewVersion =
                expect(
                        "CARD_TESTING",
                        cardTestingV1,
                        "u-ct-5",
                        cardTesting("u-ct-5", p.plus(min(20)), 4),
                        false);
        expect(
                "VELOCITY",
                velocityV1,
                "u-vel-3",
                outgoing("u-vel-3", EventType.TRANSFER_OUT, p.plus(min(40)), 5),
                false);
        payeeDrain(
                "u-payee-5", p.plus(min(45)), p.plus(min(50)), "9000.00", payeeDrainShadow, true);
    }

    /**
     * {@code small} card payments under 5.00 three minutes apart, then one of at least 500.00: at
     * most two outgoing transactions within VELOCITY's window of 5 minutes.
     *
     * @return the event ids, the large payment last
     */
    private List<String> cardTesting(String user, Instant start, int small) {
        List<String> ids = new ArrayList<>();
        String[] amounts = {"1.00", "2.50", "3.75", "4.99"};
        for (int k = 0; k < small; k++) {
            ids.add(
                    event(user, EventType.CARD_PAYMENT, start.plus(min(3 * k)))
                            .amount(amounts[k])
                            .id);
        }
        ids.add(
                event(user, EventType.CARD_PAYMENT, start.plus(min(3 * small)))
                        .amount("640.00")
                        .id);
        return ids;
    }

    /** {@code n} outgoing transactions 20 s apart. */
    private List<String> outgoing(String user, EventType type, Instant start, int n) {
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            EventBuilder e = event(user, type, start.plusSeconds(20L * k)).amount("80.00");
            if (type == EventType.TRANSFER_OUT) {
                e.field("counterpartyId", "acct-" + user);
            }
            ids.add(e.id);
        }
        return ids;
    }

    private void payeeDrain(
            String user,
            Instant added,
            Instant transfer,
            String amount,
            String patternVersion,
            boolean shadow) {
        String payee = "p-" + user;
        String a = event(user, EventType.PAYEE_ADDED, added).field("payeeId", payee).id;
        String t =
                event(user, EventType.TRANSFER_OUT, transfer)
                        .amount(amount)
                        .field("counterpartyId", payee)
                        .id;
        expect("NEW_PAYEE_DRAIN", patternVersion, user, List.of(a, t), shadow);
    }

    /**
     * Twelve users active all through each phase, an event every 6 minutes: logins from their one
     * device, card payments between 5.00 and 499.99, deposits, small incoming transfers, address
     * changes, withdrawals. No rule of any version alerts on them.
     */
    private void background(int phase) {
        EventType[] cycle = {
            EventType.LOGIN_SUCCESS,
            EventType.CARD_PAYMENT,
            EventType.DEPOSIT,
            EventType.TRANSFER_IN,
            EventType.ADDRESS_CHANGE,
            EventType.WITHDRAWAL
        };
        for (int i = 0; i < 12; i++) {
            String user = String.format("u-bg-%02d", i + 1);
            for (int k = 0; k < 9; k++) {
                Instant t = phaseStart(phase).plusSeconds(37L * i).plus(min(6 * k));
                EventType type = cycle[(i + k + phase) % cycle.length];
                EventBuilder e = event(user, type, t);
                switch (type) {
                    case LOGIN_SUCCESS -> e.field("deviceId", "d-" + user);
                    case CARD_PAYMENT -> e.amount(cents(500, 49_999));
                    case DEPOSIT -> e.amount(cents(1_000, 90_000));
                    case TRANSFER_IN ->
                            e.amount(cents(5_000, 150_000)).field("counterpartyId", "employer-1");
                    case WITHDRAWAL -> e.amount(cents(2_000, 20_000));
                    default -> {}
                }
            }
            usersWithoutAlerts.add(user);
        }
    }

    /** The last event of the phase in every partition of every input topic. */
    private void ticks(int phase) {
        for (Topic topic : Topic.values()) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                String user = "tick-" + topic.defaultName() + "-" + partition;
                Instant t = phaseTick(phase);
                EventBuilder e =
                        switch (topic) {
                            case LOGINS ->
                                    event(user, EventType.LOGIN_SUCCESS, t)
                                            .field("deviceId", "d-" + user);
                            case TRANSACTIONS -> event(user, EventType.DEPOSIT, t).amount("1.00");
                            case ACCOUNT_CHANGES -> event(user, EventType.ADDRESS_CHANGE, t);
                        };
                e.partition = partition;
                usersWithoutAlerts.add(user);
            }
        }
    }

    private Expected expect(
            String ruleId,
            String patternVersion,
            String user,
            List<String> eventIds,
            boolean shadow) {
        Expected e = new Expected(ruleId, patternVersion, user, List.copyOf(eventIds), shadow);
        expected.get(expected.size() - 1).add(e);
        return e;
    }

    private String cents(int lowest, int highest) {
        int cents = lowest + random.nextInt(highest - lowest + 1);
        return String.format("%d.%02d", cents / 100, cents % 100);
    }

    private static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    private EventBuilder event(String user, EventType type, Instant time) {
        int n = counters.merge(user, 1, Integer::sum);
        EventBuilder b = new EventBuilder(String.format("%s-e%03d", user, n), user, type, time);
        pending.add(b);
        return b;
    }

    /** One event being written; it becomes a line when its phase is done. */
    private final class EventBuilder {
        final String id;
        final ObjectNode json = JSON.createObjectNode();
        final Topic topic;
        final Instant time;
        final String user;
        Integer partition;

        EventBuilder(String id, String user, EventType type, Instant time) {
            this.id = id;
            this.user = user;
            this.time = time;
            this.topic = Topic.of(type);
            json.put("eventId", id);
            json.put("userId", user);
            json.put("type", type.name());
            json.put("timestamp", time.toString());
        }

        EventBuilder amount(String amount) {
            json.put("amount", amount);
            json.put("currency", "EUR");
            return this;
        }

        EventBuilder field(String name, String value) {
            json.put(name, value);
            return this;
        }

        Line line() {
            return new Line(topic, partition, user, time, json.toString());
        }
    }

    /** The patternVersion of a shipped rule. */
    private static String base(String ruleId) {
        return RuleCanonical.patternVersion(RuleFiles.defaults().rule(ruleId));
    }

    /** The patternVersion of a published record's rule, as the gate computes it. */
    private static String published(String record) {
        return RuleCanonical.patternVersion(RuleRecords.parse(record).rule());
    }

    /**
     * Version 1 of a shipped rule as a control-topic record: the rule object of rules-default.yaml
     * (as JSON), changed by {@code change}.
     */
    private static String record(
            String ruleId, Instant effectiveFrom, String comment, Consumer<ObjectNode> change) {
        ObjectNode rule = null;
        for (JsonNode r : shippedRules().get("rules")) {
            if (ruleId.equals(r.get("id").asText())) {
                rule = (ObjectNode) r.deepCopy();
            }
        }
        if (rule == null) {
            throw new IllegalArgumentException("no rule " + ruleId + " in rules-default.yaml");
        }
        change.accept(rule);
        ObjectNode record = JSON.createObjectNode();
        record.put("ruleId", ruleId);
        record.put("ruleVersion", 1);
        record.put("effectiveFrom", effectiveFrom.toString());
        record.set("rule", rule);
        record.put("publishedBy", "RuleVersionsITCase");
        record.put("comment", comment);
        return record.toString();
    }

    private static JsonNode shippedRules() {
        try (InputStream in = RuleFiles.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
