package io.fraudcep.alert;

import java.time.Instant;
import java.util.List;

/**
 * A match of one pattern whose last event triggers it: the candidate for an alert, before
 * suppression. Emitted by the pattern operators, turned into {@link Alert}s by the {@link
 * AlertDecider}.
 *
 * @param patternId the pattern that matched
 * @param userId the user
 * @param windowStart event time of the first matched event
 * @param detectedAt event time of the last (triggering) matched event
 * @param eventIds the matched events, in event-time order; the last one triggered
 * @param summary one sentence with the key numbers
 * @param evidence the facts the decision used
 */
public record Detection(
        String patternId,
        String userId,
        Instant windowStart,
        Instant detectedAt,
        List<String> eventIds,
        String summary,
        List<Fact> evidence) {

    public String triggerEventId() {
        return eventIds.get(eventIds.size() - 1);
    }
}
