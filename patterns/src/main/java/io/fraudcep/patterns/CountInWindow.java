package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.enrich.EnrichedEvent;
import java.time.Duration;
import java.util.List;

/**
 * A counting pattern: at least N accepted events of a kind, the first and the last less than the
 * window apart. The state is the qualifying events of the last window (where CEP would keep a
 * partial match per event); the detection carries all of them, the largest match.
 */
abstract class CountInWindow implements StatefulFraudPattern<RecentEvents> {

    private static final long serialVersionUID = 1L;

    private final PatternConfig config;
    private final int minCount;
    private final long windowNanos;

    CountInWindow(PatternConfig config, String countParameter) {
        this.config = config;
        this.minCount = Math.toIntExact(config.count(countParameter));
        this.windowNanos = config.window().toNanos();
    }

    /** One sentence with the numbers, e.g. "10 outgoing transactions totalling 99.00 ...". */
    abstract String summary(int count, long totalCents, Duration span);

    /** The evidence besides count, total and span. */
    abstract List<Fact> evidence(int count, long totalCents, Duration span);

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public Class<RecentEvents> stateClass() {
        return RecentEvents.class;
    }

    @Override
    public RecentEvents newState() {
        return new RecentEvents();
    }

    @Override
    public Detection onEvent(RecentEvents recent, EnrichedEvent e) {
        recent.dropNotWithin(e.timestamp(), windowNanos);
        recent.append(e.eventId(), e.timestamp(), e.event().amount(), (byte) 0);
        int n = recent.size();
        if (n < minCount) {
            return null;
        }
        long total = 0;
        for (long c : recent.cents) {
            total += c;
        }
        Duration span = Duration.between(recent.time(0), e.timestamp());
        return new Detection(
                config.id(),
                e.userId(),
                recent.time(0),
                e.timestamp(),
                recent.idsFrom(0),
                summary(n, total, span),
                evidence(n, total, span));
    }

    @Override
    public boolean expire(RecentEvents recent, long nowMillis) {
        recent.dropNotWithin(nowMillis * 1_000_000L, windowNanos);
        return recent.size() == 0;
    }
}
