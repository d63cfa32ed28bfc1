package io.fraudcep.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns detections into alerts, per user, in event time: when the watermark passes a trigger time
 * it takes the detections of that time in a fixed order, keeps for each triggering event the
 * canonical match (the earliest-starting, largest one) and applies suppression (alerts.md): for one
 * user and pattern, a triggering event alerts only if it is at least the pattern's window after the
 * last alert's {@code detectedAt}.
 *
 * <p>Detections are buffered until the watermark so that the choice never depends on the order in
 * which several pattern operators deliver them. State: the buffered detections and, per pattern,
 * the last alert time until it stops suppressing.
 */
public class AlertDecider extends KeyedProcessFunction<String, Detection, Alert> {

    private static final long serialVersionUID = 1L;

    /** Detections of one trigger time: by pattern, trigger, earliest start, most events. */
    static final Comparator<Detection> DECISION_ORDER =
            Comparator.comparing(Detection::detectedAt)
                    .thenComparing(Detection::patternId)
                    .thenComparing(Detection::triggerEventId)
                    .thenComparing(Detection::windowStart)
                    .thenComparing(d -> -d.eventIds().size())
                    .thenComparing(d -> String.join("\n", d.eventIds()));

    private final Map<String, AlertPolicy> policies;

    private transient ListState<Detection> pending;
    private transient MapState<String, Instant> lastAlerts;
    private transient Map<String, Counter> alertCounters;
    private transient Counter suppressedCounter;

    public AlertDecider(List<AlertPolicy> policies) {
        this.policies = new HashMap<>();
        for (AlertPolicy p : policies) {
            this.policies.put(p.patternId(), p);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-detections", TypeInformation.of(Detection.class)));
        lastAlerts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "last-alert-per-pattern", Types.STRING, Types.INSTANT));
        alertCounters = new HashMap<>();
        for (String patternId : policies.keySet()) {
            alertCounters.put(
                    patternId,
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("pattern", patternId)
                            .counter("alerts"));
        }
        suppressedCounter = getRuntimeContext().getMetricGroup().counter("suppressedDetections");
    }

    @Override
    public void processElement(Detection detection, Context ctx, Collector<Alert> out)
            throws Exception {
        pending.add(detection);
        ctx.timerService().registerEventTimeTimer(detection.detectedAt().toEpochMilli());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        // Timers fire in time order; each takes the detections of its own millisecond.
        List<Detection> ready = new ArrayList<>();
        List<Detection> waiting = new ArrayList<>();
        for (Detection d : pending.get()) {
            (d.detectedAt().toEpochMilli() == timestamp ? ready : waiting).add(d);
        }
        if (!ready.isEmpty()) {
            pending.update(waiting);
            ready.sort(DECISION_ORDER);
            for (Detection d : ready) {
                decide(d, ctx, out);
            }
        }
        expireSuppressions(timestamp);
    }

    private void decide(Detection d, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        AlertPolicy policy = policies.get(d.patternId());
        Instant last = lastAlerts.get(d.patternId());
        if (last != null && d.detectedAt().isBefore(last.plus(policy.window()))) {
            suppressedCounter.inc();
            return;
        }
        lastAlerts.put(d.patternId(), d.detectedAt());
        // Forget the suppression once it can no longer suppress anything.
        ctx.timerService()
                .registerEventTimeTimer(d.detectedAt().plus(policy.window()).toEpochMilli() + 1);
        alertCounters.get(d.patternId()).inc();
        out.collect(
                new Alert(
                        AlertIds.of(d.patternId(), d.userId(), d.eventIds()),
                        d.patternId(),
                        policy.version(),
                        policy.severity(),
                        d.userId(),
                        d.windowStart(),
                        d.detectedAt(),
                        d.eventIds(),
                        d.summary(),
                        d.evidence()));
    }

    private void expireSuppressions(long timestamp) throws Exception {
        List<String> expired = null;
        for (Map.Entry<String, Instant> e : lastAlerts.entries()) {
            AlertPolicy policy = policies.get(e.getKey());
            if (policy == null || e.getValue().plus(policy.window()).toEpochMilli() < timestamp) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(e.getKey());
            }
        }
        if (expired != null) {
            for (String patternId : expired) {
                lastAlerts.remove(patternId);
            }
        }
    }
}
