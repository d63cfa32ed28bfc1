package io.fraudcep.enrich;

import java.io.Serializable;
import java.time.Duration;

/**
 * Horizons of the per-user history.
 *
 * @param dedupHorizon an event id seen again within this much event time is a duplicate
 * @param deviceLookback successful logins within this much event time define known devices
 * @param observer operational hooks (metrics, warnings); never part of a decision
 */
public record EnrichmentSettings(
        Duration dedupHorizon, Duration deviceLookback, EventTimeObserver observer)
        implements Serializable {

    /** The horizons of events.md and patterns.md: 24 hours and 180 days; no observer. */
    public static final EnrichmentSettings DEFAULTS =
            new EnrichmentSettings(
                    Duration.ofHours(24), Duration.ofDays(180), EventTimeObserver.NONE);

    /** These settings with {@code observer} watching event time. */
    public EnrichmentSettings withObserver(EventTimeObserver observer) {
        return new EnrichmentSettings(dedupHorizon, deviceLookback, observer);
    }

    public EnrichmentSettings {
        if (observer == null) {
            throw new IllegalArgumentException("observer must not be null (use NONE)");
        }
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("dedupHorizon must be positive: " + dedupHorizon);
        }
        if (deviceLookback.isNegative() || deviceLookback.isZero()) {
            throw new IllegalArgumentException(
                    "deviceLookback must be positive: " + deviceLookback);
        }
    }
}
