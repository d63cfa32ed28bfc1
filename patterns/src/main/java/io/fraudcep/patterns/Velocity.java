package io.fraudcep.patterns;

import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.Money;
import java.time.Duration;
import java.util.List;

/**
 * VELOCITY: at least 10 outgoing transactions ({@code CARD_PAYMENT}, {@code TRANSFER_OUT}, {@code
 * WITHDRAWAL}), the first and the tenth less than 5 min apart. A counting pattern: the state is the
 * outgoing transactions of the last window, see {@link CountInWindow}.
 */
public class Velocity extends CountInWindow {

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

    public Velocity(PatternConfig config) {
        super(config, "minTransactions");
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return e.event().type().isOutgoing();
    }

    @Override
    String summary(int count, long totalCents, Duration span) {
        return String.format(
                "%d outgoing transactions totalling %s within %s.",
                count, Money.format(totalCents), Windows.describe(span));
    }

    @Override
    List<Fact> evidence(int count, long totalCents, Duration span) {
        return List.of(
                Fact.integer("transactions", count),
                Fact.money("total", totalCents),
                Fact.integer("spanSeconds", span.toSeconds()),
                Fact.integer("minTransactions", config().count("minTransactions")));
    }
}
