package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;

/**
 * A pattern evaluated over a small per-user state, fed one accepted event at a time in event-time
 * order.
 *
 * @param <S> the state: a POJO that Flink serializes without Kryo
 */
public interface StatefulFraudPattern<S> extends FraudPattern {

    /** The state's class, for its Flink type information. */
    Class<S> stateClass();

    /** A fresh state for a user the pattern has not seen. */
    S newState();

    /**
     * Applies one accepted event (one that {@link #accepts} accepted) to the state and returns the
     * detection it triggers, or null.
     */
    Detection onEvent(S state, EnrichedEvent event);

    /**
     * Drops what no later event can use once event time reaches {@code nowMillis}. Returns true if
     * nothing is left, so the state can be cleared.
     */
    boolean expire(S state, long nowMillis);
}
