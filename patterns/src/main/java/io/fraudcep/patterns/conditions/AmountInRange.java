package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * True for transactions of the given types whose amount is in [min, maxExclusive), compared exactly
 * in cents.
 */
public class AmountInRange extends SimpleCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final Set<EventType> types;
    private final long minCents;
    private final long maxCentsExclusive;

    private AmountInRange(Set<EventType> types, long minCents, long maxCentsExclusive) {
        this.types = types;
        this.minCents = minCents;
        this.maxCentsExclusive = maxCentsExclusive;
    }

    /** Amount >= minCents. */
    public static AmountInRange atLeast(long minCents, EventType first, EventType... rest) {
        return new AmountInRange(EnumSet.of(first, rest), minCents, Long.MAX_VALUE);
    }

    /** Amount < maxCentsExclusive. */
    public static AmountInRange below(long maxCentsExclusive, EventType first, EventType... rest) {
        return new AmountInRange(EnumSet.of(first, rest), Long.MIN_VALUE, maxCentsExclusive);
    }

    /** minCents <= amount < maxCentsExclusive. */
    public static AmountInRange between(
            long minCents, long maxCentsExclusive, EventType first, EventType... rest) {
        return new AmountInRange(EnumSet.of(first, rest), minCents, maxCentsExclusive);
    }

    @Override
    public boolean filter(EnrichedEvent e) {
        if (!types.contains(e.event().type())) {
            return false;
        }
        long amount = e.event().amount();
        return amount >= minCents && amount < maxCentsExclusive;
    }
}
