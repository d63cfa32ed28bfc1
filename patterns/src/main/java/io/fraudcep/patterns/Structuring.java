package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.patterns.conditions.AmountInRange;
import java.time.Duration;
import java.util.List;

/**
 * STRUCTURING: at least 3 {@code DEPOSIT} events each with 9000.00 <= amount < 10000.00, the first
 * and the third less than 24 h apart. A counting pattern kept as state.
 */
public class Structuring implements StatefulFraudPattern<RecentEvents> {

    private static final long serialVersionUID = 1L;

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "STRUCTURING",
                    Severity.HIGH,
                    Duration.ofHours(24),
                    "at least minDeposits DEPOSIT each with minAmount <= amount < maxAmount, the"
                            + " first and the last less than the window apart",
                    List.of(
                            ParameterSpec.count("minDeposits", 3, "deposits in the window"),
                            ParameterSpec.money("minAmount", "9000.00", "deposit at least"),
                            ParameterSpec.money("maxAmount", "10000.00", "deposit below")),
                    Structuring::new);

    private final PatternConfig config;
    private final int minDeposits;
    private final long windowNanos;
    private final AmountInRange deposit;

    public Structuring(PatternConfig config) {
        this.config = config;
        this.minDeposits = Math.toIntExact(config.count("minDeposits"));
        this.windowNanos = config.window().toNanos();
        this.deposit =
                AmountInRange.between(
                        config.moneyCents("minAmount"),
                        config.moneyCents("maxAmount"),
                        EventType.DEPOSIT);
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return deposit.filter(e);
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
        if (n < minDeposits) {
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
                String.format(
                        "%d deposits just under %s totalling %s within %s.",
                        n,
                        Money.format(config.moneyCents("maxAmount")),
                        Money.format(total),
                        Windows.describe(span)),
                List.of(
                        Fact.integer("deposits", n),
                        Fact.money("total", total),
                        Fact.integer("spanSeconds", span.toSeconds())));
    }

    @Override
    public boolean expire(RecentEvents recent, long nowMillis) {
        recent.dropNotWithin(nowMillis * 1_000_000L, windowNanos);
        return recent.size() == 0;
    }
}
