package io.fraudcep.enrich;

import io.fraudcep.model.UserEvent;
import java.time.Instant;

/**
 * An accepted, de-duplicated event with the facts of its user's history that rules read (rules.md):
 * produced per user in event-time order by {@link UserEventOperator}.
 *
 * @param event the event itself
 * @param newDevice for a {@code LOGIN_SUCCESS}: the user has an earlier successful login in the
 *     device look-back (180 days by default) and none of those used this device
 * @param previousEventTime event time of the user's previous accepted event of any type, or null if
 *     this is the user's first
 * @param priorEvents how many accepted events of the user came before this one (counted from the
 *     start of the job's history); also the event's position in the user's accepted sequence
 */
public record EnrichedEvent(
        UserEvent event, boolean newDevice, Instant previousEventTime, long priorEvents) {

    public String userId() {
        return event.userId();
    }

    public String eventId() {
        return event.eventId();
    }

    public Instant timestamp() {
        return event.timestamp();
    }
}
