package io.fraudcep.detect;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.patterns.EventFraudPattern;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Runs a single-event pattern. */
public class EventPatternFunction implements FlatMapFunction<EnrichedEvent, Detection> {

    private static final long serialVersionUID = 1L;

    private final EventFraudPattern pattern;

    public EventPatternFunction(EventFraudPattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public void flatMap(EnrichedEvent event, Collector<Detection> out) {
        Detection detection = pattern.onEvent(event);
        if (detection != null) {
            out.collect(detection);
        }
    }
}
