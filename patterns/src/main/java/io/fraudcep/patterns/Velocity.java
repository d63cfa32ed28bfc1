package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.Money;
import java.time.Duration;
import java.util.List;

/**
 * VELOCITY: at least 10 outgoing transactions ({@code CARD_PAYMENT}, {@code TRANSFER_OUT}, {@code
 * WITHDRAWAL}), the first and the tenth less than 5 min apart. A counting pattern: the state is
 * the outgoing transactions of the last window, where CEP would keep a partial match per event.
 */
public class Velocity implements StatefulFraudPattern<RecentEvents> {

    private static final long serialVersionUID = 1L;

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "VELOCITY",
                    Severity.MEDIUM,
                    Duration.ofMinutes(5),
                    "at least minTransactions outgoing transactions (CARD_PAYMENT, TRANSFER_OUT,"
                            + " WITHDRAWAL), the first and the last less than the window apart",
                    List.of(
                            ParameterSpec.count(
                                    "minTransactions", 10, "outgoing transactions in the window")),
                    Velocity::new);

    private final PatternConfig config;
    private final int minTransactions;
    private final long windowNanos;

    public Velocity(PatternConfig config) {
        this.config = config;
        this.minTransactions = Math.toIntExact(config.count("minTransactions"));
        this.windowNanos = config.window().toNanos();
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return e.event().type().isOutgoing();
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
        if (n < minTransactions) {
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
                        "%d outgoing transactions totalling %s within %s.",
                        n, Money.format(total), Windows.describe(span)),
                List.of(
                        Fact.integer("transactions", n),
                        Fact.money("total", total),
                        Fact.integer("spanSeconds", span.toSeconds()),
                        Fact.integer("minTransactions", minTransactions)));
    }

    @Override
    public boolean expire(RecentEvents recent, long nowMillis) {
        recent.dropNotWithin(nowMillis * 1_000_000L, windowNanos);
        return recent.size() == 0;
    }
}
