package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A successful login from a device new to the user (patterns.md, "New device"). */
public class NewDeviceLogin extends SimpleCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(EnrichedEvent e) {
        return e.event().type() == EventType.LOGIN_SUCCESS && e.newDevice();
    }
}
