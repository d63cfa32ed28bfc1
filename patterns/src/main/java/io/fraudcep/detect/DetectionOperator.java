package io.fraudcep.detect;

import io.fraudcep.alert.Alert;
import io.fraudcep.engine.RuleEngine;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEventOperator;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.state.UserState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
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
 * <p>State: per user one {@link UserState} (the enrichment's profile and the engine's events, masks
 * and suppression) and one timer, as {@link UserEventOperator} lays them out; per subtask, in
 * broadcast state, every version of the control topic the job knows (the same in every subtask, so
 * a rescale keeps them).
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

    private final RuleEngine engine;

    private transient BroadcastState<String, RuleChange> versions;
    private transient boolean restored;
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
        reuse = new StreamRecord<>(null);
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
        engine.open(getMetricGroup());
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
            // Its deadlines after events users already hold need their timers now, as in a run
            // that knew the version from the start: one pass over this subtask's users with state.
            updateEveryUser(st -> engine.touch(st.rules));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        engine.compact(mark.getTimestamp());
    }

    @Override
    protected void accepted(UserState state, EnrichedEvent event) {
        engine.onEvent(state.userId, state.rules, event, sink);
    }

    @Override
    protected void onTimer(UserState state, long timestamp) {
        engine.onTimer(state.userId, state.rules, timestamp, sink);
    }

    @Override
    protected long nextTimer(UserState state) {
        return engine.nextTimer(state.rules);
    }

    private static String key(String ruleId, long version) {
        return ruleId + "#" + version;
    }
}
