package io.fraudcep.patterns;

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
public class Structuring extends CountInWindow {

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

    private final AmountInRange deposit;

    public Structuring(PatternConfig config) {
        super(config, "minDeposits");
        this.deposit =
                AmountInRange.between(
                        config.moneyCents("minAmount"),
                        config.moneyCents("maxAmount"),
                        EventType.DEPOSIT);
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return deposit.filter(e);
    }

    @Override
    String summary(int count, long totalCents, Duration span) {
        return String.format(
                "%d deposits just under %s totalling %s within %s.",
                count,
                Money.format(config().moneyCents("maxAmount")),
                Money.format(totalCents),
                Windows.describe(span));
    }

    @Override
    List<Fact> evidence(int count, long totalCents, Duration span) {
        return List.of(
                Fact.integer("deposits", count),
                Fact.money("total", totalCents),
                Fact.integer("spanSeconds", span.toSeconds()));
    }
}
