package io.fraudcep.sampledata.fuzz;

import java.time.Instant;
import java.util.List;

/**
 * One alert that {@link ContractReference} demands: the fields of alerts.md that are fixed by the
 * log and the pattern catalogue alone.
 *
 * @param userId the user
 * @param patternId the pattern's id, e.g. {@code CARD_TESTING}
 * @param windowStart event time of the first matched event
 * @param detectedAt event time of the triggering (last matched) event
 * @param eventIds the matched events in (event time, eventId) order, the trigger last
 */
public record RefAlert(
        String userId,
        String patternId,
        Instant windowStart,
        Instant detectedAt,
        List<String> eventIds) {

    public RefAlert {
        eventIds = List.copyOf(eventIds);
    }

    /** The id of the triggering event, the last of {@link #eventIds()}. */
    public String triggerEventId() {
        return eventIds.get(eventIds.size() - 1);
    }
}
