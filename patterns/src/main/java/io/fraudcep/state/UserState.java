package io.fraudcep.state;

import io.fraudcep.engine.UserRuleState;
import io.fraudcep.enrich.UserProfile;

/**
 * Everything the detection operator keeps of one user, as one value: the enrichment's {@link
 * UserProfile}, the rule engine's {@link UserRuleState} (the events of the look-back horizon, their
 * step masks, suppression) and the user's one timer. One value means one state read and one write
 * per user and watermark step, whatever the number of events, rules and versions; on RocksDB that
 * is one point lookup and one put, serialized by {@link UserStateSerializer}.
 */
public final class UserState {

    /** The user (the key): written once, not with each event. */
    public String userId;

    public UserProfile profile = new UserProfile();

    /** The rule engine's part; empty for an operator without rules. */
    public UserRuleState rules = new UserRuleState();

    /** The event time (ms) of the user's one registered timer, or Long.MIN_VALUE if none. */
    public long timerAtMillis = Long.MIN_VALUE;

    public UserState() {}

    public UserState(String userId) {
        this.userId = userId;
    }
}
