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
 * the enrichment, so each is applied as it comes. A clean-up timer, coalesced to one a minute,
 * clears the state once the window has passed without events.
 */
public class StatefulPatternFunction<S> extends KeyedProcessFunction<String, EnrichedEvent, Detection> {

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
                                new ValueStateDescriptor<>(
                                        "pattern-state", pattern.stateClass()));
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Detection> out)
            throws Exception {
        S s = state.value();
        if (s == null) {
            s = pattern.newState();
        }
        Detection detection = pattern.onEvent(s, event);
        state.update(s);
        long expiry = event.timestamp().toEpochMilli() + windowMillis + 1;
        long coalesced = (expiry / CLEANUP_GRANULARITY_MS + 1) * CLEANUP_GRANULARITY_MS;
        ctx.timerService().registerEventTimeTimer(coalesced);
        if (detection != null) {
            out.collect(detection);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out)
            throws Exception {
        S s = state.value();
        if (s != null && pattern.expire(s, timestamp)) {
            state.clear();
        } else if (s != null) {
            state.update(s);
        }
    }
}
