package io.fraudcep.engine;

import io.fraudcep.enrich.EnrichedEvent;
import java.time.Instant;

/**
 * What the rule engine keeps of one user: the recent events that can still take part in a trigger
 * of some rule (each stored once, whatever the number of rules), each with its mask of the steps it
 * can satisfy on its own, the last alert per rule (suppression) and, per rule that triggers at
 * deadlines, the last deadline judged. A mutable POJO in one keyed {@code ValueState}; arrays
 * rather than collections keep it compact and on Flink's POJO serializer.
 */
public class UserRuleState {

    /** The recent events, in event-time order (ties by event id). */
    public EnrichedEvent[] events = new EnrichedEvent[0];

    /** {@code words} longs per event, same order: bit {@code b} = the event can satisfy step b. */
    public long[] masks = new long[0];

    /** The step layout the masks were computed with; masks are recomputed when it changes. */
    public int layout;

    /** Rule ids with a live suppression, and their last alert's {@code detectedAt}. */
    public String[] alertRuleIds = new String[0];

    public Instant[] lastAlerts = new Instant[0];

    /** Rule ids that trigger at deadlines, and the last deadline judged for each. */
    public String[] deadlineRuleIds = new String[0];

    public Instant[] deadlinesDone = new Instant[0];

    /** The event time (ms) of the pending clean-up timer, or Long.MIN_VALUE. */
    public long cleanupAtMillis = Long.MIN_VALUE;

    public UserRuleState() {}

    boolean isEmpty() {
        return events.length == 0 && alertRuleIds.length == 0;
    }
}
