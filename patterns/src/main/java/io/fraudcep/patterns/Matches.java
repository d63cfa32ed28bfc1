package io.fraudcep.patterns;

import io.fraudcep.enrich.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the match functions. */
final class Matches {

    private Matches() {}

    /** The events a step took; empty if none. */
    static List<EnrichedEvent> step(Map<String, List<EnrichedEvent>> match, String step) {
        List<EnrichedEvent> events = match.get(step);
        return events == null ? List.of() : events;
    }

    /** The single event of a step. */
    static EnrichedEvent single(Map<String, List<EnrichedEvent>> match, String step) {
        return match.get(step).get(0);
    }

    /** Event ids of several lists, in the given order. */
    @SafeVarargs
    static List<String> ids(List<EnrichedEvent>... lists) {
        List<String> ids = new ArrayList<>();
        for (List<EnrichedEvent> list : lists) {
            for (EnrichedEvent e : list) {
                ids.add(e.eventId());
            }
        }
        return ids;
    }
}
