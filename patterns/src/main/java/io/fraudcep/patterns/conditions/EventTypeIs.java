package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** True for events of one of the given types. */
public class EventTypeIs extends SimpleCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final Set<EventType> types;

    public EventTypeIs(EventType first, EventType... rest) {
        this.types = EnumSet.of(first, rest);
    }

    @Override
    public boolean filter(EnrichedEvent e) {
        return types.contains(e.event().type());
    }
}
