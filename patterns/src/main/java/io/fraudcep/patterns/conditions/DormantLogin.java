package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import java.time.Duration;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * A successful login of a user with history whose previous accepted event, of any type, is at least
 * the dormancy period older.
 */
public class DormantLogin extends SimpleCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final Duration minDormancy;

    public DormantLogin(Duration minDormancy) {
        this.minDormancy = minDormancy;
    }

    @Override
    public boolean filter(EnrichedEvent e) {
        return e.event().type() == EventType.LOGIN_SUCCESS
                && e.previousEventTime() != null
                && Duration.between(e.previousEventTime(), e.timestamp()).compareTo(minDormancy)
                        >= 0;
    }
}
