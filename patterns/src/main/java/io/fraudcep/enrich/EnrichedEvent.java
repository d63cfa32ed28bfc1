package io.fraudcep.enrich;

import io.fraudcep.model.UserEvent;
import java.time.Instant;

/**
 * An accepted, de-duplicated event with the facts of its user's history that the patterns need.
 * Produced per user in event-time order by {@link UserEnrichmentOperator}.
 *
 * @param event the event itself
 * @param newDevice for a {@code LOGIN_SUCCESS}: the user has an earlier successful login in the
 *     device look-back (180 days by default) and none of those used this device
 * @param previousEventTime event time of the user's previous accepted event of any type, or null if
 *     this is the user's first
 * @param previousGeoLogin for a {@code LOGIN_SUCCESS} with coordinates: the user's previous
 *     successful login with coordinates, or null
 * @param previousLoginFailure for a {@code LOGIN_SUCCESS}: the time of the user's last {@code
 *     LOGIN_FAILURE} before it, or null (lets BRUTE_FORCE_LOGIN drop successes that no failure
 *     precedes within its window before they reach CEP)
 * @param priorEvents how many accepted events of the user came before this one (counted from the
 *     start of the job's history)
 */
public record EnrichedEvent(
        UserEvent event,
        boolean newDevice,
        Instant previousEventTime,
        GeoLogin previousGeoLogin,
        Instant previousLoginFailure,
        long priorEvents) {

    public String userId() {
        return event.userId();
    }

    public String eventId() {
        return event.eventId();
    }

    public Instant timestamp() {
        return event.timestamp();
    }

    /** A plain event with no history, for tests and conditions that need none. */
    public static EnrichedEvent of(UserEvent event) {
        return new EnrichedEvent(event, false, null, null, null, 0);
    }
}
