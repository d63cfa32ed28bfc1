package io.fraudcep.detect;

import io.fraudcep.enrich.EnrichedEvent;
import org.apache.flink.cep.EventComparator;

/**
 * CEP's order for events of one millisecond: exact time, then event id; the order in which the
 * enrichment releases them, so ties never depend on arrival.
 */
public class EventOrder implements EventComparator<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public int compare(EnrichedEvent a, EnrichedEvent b) {
        int c = a.timestamp().compareTo(b.timestamp());
        return c != 0 ? c : a.eventId().compareTo(b.eventId());
    }
}
