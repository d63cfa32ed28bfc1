package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.engine.RuleEngine;
import io.fraudcep.engine.UserRuleState;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEventOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The detection operator: per user, the enrichment ({@link UserEventOperator}: events released in
 * event-time order at the watermark, duplicates dropped, history facts attached) and the rules
 * ({@link RuleEngine}) on each released event; on its second input, the rule versions the version
 * gate applies while the job runs, broadcast to every subtask.
 *
 * <p>Why one operator: a version must judge exactly the triggers at and after its applied instant,
 * in every subtask, however the two inputs interleave. The gate emits a version before it lets the
 * watermark pass the version's instant, and this operator's watermark is the lesser of its two
 * inputs', so no event at or after the instant is released (hence judged) before the version is
 * here. Were the rules a separate operator, the version would race the released events to it.
 *
 * <p>State: per user the enrichment's profile and waiting events and the engine's {@link
 * UserRuleState}; per subtask, in broadcast state, every version of the control topic the job knows
 * (the same in every subtask, so a rescale keeps them).
 */
public class DetectionOperator extends UserEventOperator<Alert>
        implements TwoInputStreamOperator<UserEvent, RuleChange, Alert> {

    private static final long serialVersionUID = 1L;

    /** Alerts of shadow rules: evaluated like active ones, never written to the alert topic. */
    public static final OutputTag<Alert> SHADOW_ALERTS =
            new OutputTag<>("shadow-alerts", TypeInformation.of(Alert.class));

    /** The control topic's versions this job knows, by {@code ruleId#ruleVersion}. */
    static final MapStateDescriptor<String, RuleChange> VERSIONS =
            new MapStateDescriptor<>(
                    "rule-versions", Types.STRING, TypeInformation.of(RuleChange.class));

    private static final String RULE_STATE = "rule-state";

    private final RuleEngine engine;

    private transient InternalTimerService<VoidNamespace> ruleTimers;
    private transient BroadcastState<String, RuleChange> versions;
    private transient boolean restored;
    private transient RuleEngine.Timers timers;
    private transient RuleEngine.Sink sink;
    private transient StreamRecord<Alert> reuse;
    private transient Counter versionsApplied;

    public DetectionOperator(EnrichmentSettings enrichment, RuleEngine engine) {
        super(enrichment);
        this.engine = engine;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        versions = context.getOperatorStateStore().getBroadcastState(VERSIONS);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        ruleTimers =
                getInternalTimerService(
                        "rule-timers", VoidNamespaceSerializer.INSTANCE, new RuleTimer());
        reuse = new StreamRecord<>(null);
        timers = millis -> ruleTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, millis);
        sink =
                (alert, shadow) -> {
                    long ts = alert.detectedAt().toEpochMilli();
                    if (shadow) {
                        output.collect(SHADOW_ALERTS, new StreamRecord<>(alert, ts));
                    } else {
                        output.collect(reuse.replace(alert, ts));
                    }
                };
        versionsApplied = getMetricGroup().counter("ruleVersionsApplied");
        engine.open(
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(RULE_STATE, UserRuleState.class)),
                getMetricGroup());
        if (restored) {
            // The versions known when the job was built are not this run's: the state's are.
            List<RuleChange> known = new ArrayList<>();
            for (Map.Entry<String, RuleChange> e : versions.entries()) {
                known.add(e.getValue());
            }
            known.sort(
                    Comparator.comparing(RuleChange::ruleId)
                            .thenComparingLong(RuleChange::ruleVersion));
            for (RuleChange change : known) {
                engine.apply(change.toVersion());
            }
        } else {
            for (RuleVersion v : engine.preloaded()) {
                engine.apply(v);
                versions.put(key(v.ruleId(), v.ruleVersion()), RuleChange.of(v));
            }
        }
    }

    @Override
    public void processElement1(StreamRecord<UserEvent> element) throws Exception {
        processEvent(element);
    }

    /** A version from the gate: from its applied instant on, it judges its rule's triggers. */
    @Override
    public void processElement2(StreamRecord<RuleChange> element) throws Exception {
        RuleChange change = element.getValue();
        String key = key(change.ruleId(), change.ruleVersion());
        if (versions.contains(key)) {
            return;
        }
        RuleVersion version = change.toVersion();
        engine.apply(version);
        versions.put(key, change);
        versionsApplied.inc();
        if (RuleEngine.triggersAtDeadlines(version)) {
            registerDeadlinesOfEveryUser();
        }
    }

    /**
     * A version that ends with an absence may have deadlines after events users already hold: each
     * user with rule state gets its timers now, so its alerts leave when the watermark passes their
     * deadlines, as in a run that knew the version from the start. Other versions reach a user
     * lazily, at its next event or timer. Costs one pass over this subtask's users with rule state
     * (those active within the horizon).
     */
    private void registerDeadlinesOfEveryUser() throws Exception {
        List<Object> users;
        try (Stream<Object> keys =
                getKeyedStateBackend().getKeys(RULE_STATE, VoidNamespace.INSTANCE)) {
            users = keys.collect(Collectors.toList());
        }
        Object current = getCurrentKey();
        for (Object user : users) {
            setCurrentKey(user);
            engine.touch(timers);
        }
        if (current != null) {
            setCurrentKey(current);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        engine.compact(mark.getTimestamp());
    }

    @Override
    protected void accepted(EnrichedEvent event) throws Exception {
        engine.onEvent(
                (String) getCurrentKey(), event, ruleTimers.currentWatermark(), timers, sink);
    }

    private static String key(String ruleId, long version) {
        return ruleId + "#" + version;
    }

    /** Deadlines and clean-up of the rules: after every event up to the timer is released. */
    private final class RuleTimer implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            releaseUpTo(ruleTimers.currentWatermark());
            engine.onTimer(timer.getKey(), timer.getTimestamp(), timers, sink);
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }
}
