package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;

/**
 * A pattern decided by one enriched event alone, because the enrichment already carries the history
 * it needs (e.g. the previous login with coordinates). No state of its own.
 */
public interface EventFraudPattern extends FraudPattern {

    /** The detection this accepted event triggers, or null. */
    Detection onEvent(EnrichedEvent event);
}
