package io.fraudcep.detect;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.patterns.StatefulFraudPattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs a stateful pattern over its per-user state. Events arrive already in event-time order from
 * the enrichment, so each is applied as it comes. One clean-up timer per user with state (not one
 * per event) drops what left the window and clears the state once nothing is left.
 */
public class StatefulPatternFunction<S>
        extends KeyedProcessFunction<String, EnrichedEvent, Detection> {

    private static final long serialVersionUID = 1L;
    private static final long CLEANUP_GRANULARITY_MS = 60_000L;

    private final StatefulFraudPattern<S> pattern;
    private final long windowMillis;

    private transient ValueState<S> state;

    public StatefulPatternFunction(StatefulFraudPattern<S> pattern) {
        this.pattern = pattern;
        this.windowMillis = pattern.config().window().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("pattern-state", pattern.stateClass()));
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Detection> out)
            throws Exception {
        S s = state.value();
        if (s == null) {
            // A user's first state of this pattern: one clean-up timer, re-armed while needed.
            s = pattern.newState();
            ctx.timerService().registerEventTimeTimer(cleanupTime(ctx.timestamp()));
        }
        Detection detection = pattern.onEvent(s, event);
        state.update(s);
        if (detection != null) {
            out.collect(detection);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out)
            throws Exception {
        S s = state.value();
        if (s == null) {
            return;
        }
        if (pattern.expire(s, timestamp)) {
            state.clear();
        } else {
            state.update(s);
            ctx.timerService().registerEventTimeTimer(cleanupTime(timestamp));
        }
    }

    /** A window after {@code millis}, rounded up to the minute so that timers coalesce. */
    private long cleanupTime(long millis) {
        long expiry = millis + windowMillis + 1;
        return (expiry / CLEANUP_GRANULARITY_MS + 1) * CLEANUP_GRANULARITY_MS;
    }
}
