package io.fraudcep.engine;

import io.fraudcep.enrich.EnrichedEvent;
import java.time.Instant;

/**
 * What the rule engine keeps of one user: the accepted events of the look-back horizon (each stored
 * once, whatever the number of rules and versions), each with its mask of the rule steps it can
 * satisfy on its own, the last alert per rule id and mode (suppression), and how far deadlines have
 * been judged. Part of the user's one state value ({@link io.fraudcep.state.UserState}, serialized
 * by {@link io.fraudcep.state.UserStateSerializer}); arrays rather than collections keep it
 * compact.
 */
public class UserRuleState {

    /** The events of the horizon, in event-time order (ties by event id). */
    public EnrichedEvent[] events = new EnrichedEvent[0];

    /** {@code words} longs per event, same order: bit {@code b} = the event can satisfy step b. */
    public long[] masks = new long[0];

    /** Longs per event in {@link #masks}. */
    public int words = 1;

    /** The fingerprint of the slot layout the masks were computed with. */
    public long layout;

    /** How many slots of that layout the masks cover. */
    public int maskedSlots;

    /** Suppression keys (rule id, or rule id#shadow) and their last alert's {@code detectedAt}. */
    public String[] alertKeys = new String[0];

    public Instant[] lastAlerts = new Instant[0];

    /** Every deadline at or before this instant has been judged; null before the first event. */
    public Instant deadlinesJudgedTo;

    public UserRuleState() {}

    public boolean isEmpty() {
        return events.length == 0 && alertKeys.length == 0;
    }
}
