package io.fraudcep.patterns;

import io.fraudcep.enrich.EnrichedEvent;
import java.io.Serializable;

/**
 * One pattern of the catalogue. A pattern sees only the events it {@link #accepts accepts}
 * (filtered before any CEP buffer or state), of one user, in event-time order, and emits a {@link
 * io.fraudcep.alert.Detection} whenever an event triggers it (alerts.md: the events in the window
 * ending at that event hold a match whose last event it is). Suppression is applied downstream,
 * once for all patterns.
 *
 * <p>Implementations are either {@link CepFraudPattern} (a Flink CEP pattern) or {@link
 * StatefulFraudPattern} (a small keyed state, for patterns where CEP would keep needless partial
 * matches). Each is one class, named after its pattern type.
 */
public interface FraudPattern extends Serializable {

    /** The settings in force. */
    PatternConfig config();

    /** The id written in alerts. */
    default String id() {
        return config().id();
    }

    /** Whether the pattern needs this event at all; false for every event it can never match. */
    boolean accepts(EnrichedEvent event);
}
