package io.fraudcep.detect;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.patterns.FraudPattern;
import org.apache.flink.api.common.functions.FilterFunction;

/** Lets through only the events a pattern can use, before any CEP buffer or pattern state. */
public class PatternFilter implements FilterFunction<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final FraudPattern pattern;

    public PatternFilter(FraudPattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public boolean filter(EnrichedEvent event) {
        return pattern.accepts(event);
    }
}
