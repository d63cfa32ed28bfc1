package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.engine.RuleEngine;
import io.fraudcep.engine.UserRuleState;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEventOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.state.UserState;
import io.fraudcep.state.UserStateSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * One subtask of the {@link DetectionOperator} in Flink's keyed two-input test harness, driven as
 * the job drives it: events on input 1, rule versions on input 2 (sent, as the version gate sends
 * them, before the watermark passes their instant), one watermark on both inputs. Reads what a user
 * sees (alerts, shadow alerts, the output's records and watermarks in order) and what remains (the
 * engine's per-user state, keyed state entries, timers, the versions in broadcast state).
 */
public final class DetectionHarness implements AutoCloseable {

    /** Max parallelism of every harness here, so that snapshots can be rescaled. */
    public static final int MAX_PARALLELISM = 128;

    /** The engine's per-user state, as the operator registers it. */
    private static final ValueStateDescriptor<UserState> USER_STATE =
            new ValueStateDescriptor<>(UserEventOperator.USER_STATE, UserStateSerializer.INSTANCE);

    private final KeyedTwoInputStreamOperatorTestHarness<String, UserEvent, RuleChange, Alert>
            harness;

    private DetectionHarness(RuleHistory history, int parallelism, int subtask) throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new DetectionOperator(
                                EnrichmentSettings.DEFAULTS,
                                new RuleEngine(history, RuleHistory.DEFAULT_HORIZON)),
                        UserEvent::userId,
                        null,
                        Types.STRING,
                        MAX_PARALLELISM,
                        parallelism,
                        subtask);
        // As the jobs run: a Kryo fallback in state fails loudly.
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
    }

    /** A first start of a single subtask, with the versions of {@code history} preloaded. */
    public static DetectionHarness start(RuleHistory history) throws Exception {
        DetectionHarness h = new DetectionHarness(history, 1, 0);
        h.harness.open();
        return h;
    }

    /** A subtask restored from a snapshot of one subtask, rescaled to {@code parallelism}. */
    public static DetectionHarness restore(
            RuleHistory history, OperatorSubtaskState snapshot, int parallelism, int subtask)
            throws Exception {
        DetectionHarness h = new DetectionHarness(history, parallelism, subtask);
        h.harness.initializeState(
                AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        snapshot, MAX_PARALLELISM, 1, parallelism, subtask));
        h.harness.open();
        return h;
    }

    /** Sends an event and lets the watermark reach it, so the operator releases it. */
    public void send(UserEvent e) throws Exception {
        add(e);
        watermark(e.timestamp());
    }

    /** Sends an event without moving the watermark. */
    public void add(UserEvent e) throws Exception {
        harness.processElement1(new StreamRecord<>(e, e.timestampMillis()));
    }

    /** Sends a rule version on the second input. */
    public void apply(RuleChange change) throws Exception {
        harness.processElement2(new StreamRecord<>(change));
    }

    /** Moves the watermark of both inputs to {@code t} (whole milliseconds). */
    public void watermark(Instant t) throws Exception {
        harness.processBothWatermarks(new Watermark(t.toEpochMilli()));
    }

    /** The alerts on the main output, in emission order. */
    public List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    /** The alerts on {@link DetectionOperator#SHADOW_ALERTS}, in emission order. */
    public List<Alert> shadowAlerts() {
        var out = harness.getSideOutput(DetectionOperator.SHADOW_ALERTS);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    /**
     * The main output in order, alerts as {@code alert@<detectedAt ms>} and watermarks as {@code
     * wm@<ms>}.
     */
    public List<String> outputInOrder() {
        List<String> seen = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof Watermark w) {
                seen.add("wm@" + w.getTimestamp());
            } else if (o instanceof StreamRecord<?> r && r.getValue() instanceof Alert a) {
                seen.add("alert@" + a.detectedAt().toEpochMilli());
            }
        }
        return seen;
    }

    /** The engine's state of {@code user}, or null if it holds none. */
    public UserRuleState ruleState(String user) throws Exception {
        return ruleState(harness, user);
    }

    /** The ids of the events the engine keeps for {@code user}, in order. */
    public List<String> keptEventIds(String user) throws Exception {
        return keptEventIds(harness, user);
    }

    /** The users the engine holds state for. */
    public Set<String> usersWithRuleState() throws Exception {
        return usersWithRuleState(harness);
    }

    /** The engine's state of {@code user} in a harness of the detection operator, or null. */
    public static UserRuleState ruleState(AbstractStreamOperatorTestHarness<?> harness, String user)
            throws Exception {
        UserState st = userState(harness, user);
        return st == null || st.rules.isEmpty() ? null : st.rules;
    }

    /** The one state value of {@code user} in a harness of the detection operator, or null. */
    public static UserState userState(AbstractStreamOperatorTestHarness<?> harness, String user)
            throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(user);
        return backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, USER_STATE)
                .value();
    }

    /** The ids of the events the engine keeps for {@code user} in a harness, in order. */
    public static List<String> keptEventIds(
            AbstractStreamOperatorTestHarness<?> harness, String user) throws Exception {
        UserRuleState st = ruleState(harness, user);
        return st == null
                ? List.of()
                : Stream.of(st.events).map(e -> e.eventId()).collect(Collectors.toList());
    }

    /** The users whose rule state holds events or alerts in a harness of the detection operator. */
    public static Set<String> usersWithRuleState(AbstractStreamOperatorTestHarness<?> harness)
            throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        // Registers the state if no user was ever touched, so that getKeys can answer.
        backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, USER_STATE);
        List<String> users;
        try (Stream<String> keys =
                backend.getKeys(UserEventOperator.USER_STATE, VoidNamespace.INSTANCE)) {
            users = keys.collect(Collectors.toList());
        }
        Set<String> holding = new TreeSet<>();
        for (String user : users) {
            if (ruleState(harness, user) != null) {
                holding.add(user);
            }
        }
        return holding;
    }

    /** Entries of every keyed state of the operator (enrichment and engine). */
    public int keyedStateEntries() {
        return harness.numKeyedStateEntries();
    }

    /** Event-time timers of every timer service of the operator. */
    public int eventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    /** The versions in the operator's broadcast state, by {@code ruleId#ruleVersion}. */
    public Map<String, RuleChange> storedVersions() throws Exception {
        BroadcastState<String, RuleChange> state =
                harness.getOperator()
                        .getOperatorStateBackend()
                        .getBroadcastState(DetectionOperator.VERSIONS);
        Map<String, RuleChange> all = new TreeMap<>();
        for (Map.Entry<String, RuleChange> e : state.entries()) {
            all.put(e.getKey(), e.getValue());
        }
        return all;
    }

    public OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        // As a task does: the pre-barrier step first (it writes the waiting events to state).
        harness.prepareSnapshotPreBarrier(checkpointId);
        return harness.snapshot(checkpointId, checkpointId);
    }

    /** The horizon of the engine under test. */
    public static Duration horizon() {
        return RuleHistory.DEFAULT_HORIZON;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
