package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A password, e-mail or phone change, or MFA disabled. */
public class CredentialChange extends SimpleCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(EnrichedEvent e) {
        return e.event().type().isCredentialChange();
    }
}
