package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.fuzz.ContractReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One user's accepted events with the facts rules read, from the contracts alone: events.md's
 * de-duplication, the per-user order of rules.md (event time, then eventId), patterns.md's new
 * device, and rules.md's {@code sincePreviousEvent} and {@code priorEvents}.
 */
final class AcceptedLog {

    private AcceptedLog() {}

    /** The user's accepted events in order, each with its facts; the input in any order. */
    static List<EnrichedEvent> of(List<UserEvent> userEvents) {
        List<UserEvent> ordered = new ArrayList<>(userEvents);
        ordered.sort(ContractReference.ORDER);
        List<UserEvent> accepted = dedupe(ordered);
        List<EnrichedEvent> out = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            Instant previous = i == 0 ? null : accepted.get(i - 1).timestamp();
            out.add(new EnrichedEvent(accepted.get(i), newDevice(accepted, i), previous, i));
        }
        return out;
    }

    /**
     * events.md: an eventId already accepted for the user less than 24 h of event time earlier is a
     * producer retry and does not count (the same definition as ContractReference's).
     */
    static List<UserEvent> dedupe(List<UserEvent> ordered) {
        Map<String, Instant> acceptedAt = new HashMap<>();
        List<UserEvent> kept = new ArrayList<>();
        for (UserEvent e : ordered) {
            Instant t0 = acceptedAt.get(e.eventId());
            if (t0 != null
                    && Duration.between(t0, e.timestamp())
                                    .compareTo(ContractReference.DUPLICATE_HORIZON)
                            < 0) {
                continue;
            }
            acceptedAt.put(e.eventId(), e.timestamp());
            kept.add(e);
        }
        return kept;
    }

    /**
     * patterns.md: a {@code LOGIN_SUCCESS} is from a new device if the user has at least one
     * earlier (in the order) {@code LOGIN_SUCCESS} less than 180 days before it and none of those
     * used its deviceId. Other events are never from a new device.
     */
    static boolean newDevice(List<UserEvent> accepted, int i) {
        UserEvent login = accepted.get(i);
        if (login.type() != EventType.LOGIN_SUCCESS) {
            return false;
        }
        Instant from = login.timestamp().minus(ContractReference.NEW_DEVICE_LOOKBACK);
        boolean earlier = false;
        for (int j = i - 1; j >= 0 && accepted.get(j).timestamp().isAfter(from); j--) {
            UserEvent prev = accepted.get(j);
            if (prev.type() == EventType.LOGIN_SUCCESS) {
                if (Objects.equals(prev.deviceId(), login.deviceId())) {
                    return false;
                }
                earlier = true;
            }
        }
        return earlier;
    }
}
