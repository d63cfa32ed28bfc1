package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.patterns.conditions.AmountInRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * CARD_TESTING: at least 3 {@code CARD_PAYMENT} each below 5.00, then a {@code CARD_PAYMENT} of at
 * least 500.00; the first small payment and the large one less than 15 min apart.
 */
public class CardTesting implements CepFraudPattern {

    private static final long serialVersionUID = 1L;

    static final String SMALL = "small-payments";
    static final String LARGE = "large-payment";

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "CARD_TESTING",
                    Severity.HIGH,
                    Duration.ofMinutes(15),
                    "at least minSmallPayments CARD_PAYMENT each < smallBelow, then a CARD_PAYMENT"
                            + " >= largeAtLeast; first small payment and the large one less than"
                            + " the window apart",
                    List.of(
                            ParameterSpec.count("minSmallPayments", 3, "small payments first"),
                            ParameterSpec.money(
                                    "smallBelow", "5.00", "a small payment is below this"),
                            ParameterSpec.money(
                                    "largeAtLeast",
                                    "500.00",
                                    "the large payment is at least this")),
                    CardTesting::new);

    private final PatternConfig config;
    private final int minSmall;
    private final AmountInRange small;
    private final AmountInRange large;

    public CardTesting(PatternConfig config) {
        this.config = config;
        this.minSmall = Math.toIntExact(config.count("minSmallPayments"));
        this.small = AmountInRange.below(config.moneyCents("smallBelow"), EventType.CARD_PAYMENT);
        this.large =
                AmountInRange.atLeast(config.moneyCents("largeAtLeast"), EventType.CARD_PAYMENT);
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return small.filter(e) || large.filter(e);
    }

    @Override
    public Pattern<EnrichedEvent, ?> pattern() {
        return Pattern.<EnrichedEvent>begin(SMALL, AfterMatchSkipStrategy.noSkip())
                .where(small)
                .timesOrMore(minSmall)
                // followedByAny: the opening events stay available to every later trigger in the
                // window;
                // followedBy would let the first trigger, even a suppressed one, consume them.
                .followedByAny(LARGE)
                .where(large)
                .within(Windows.cepWithin(config.window()));
    }

    @Override
    public Detection toDetection(Map<String, List<EnrichedEvent>> match) {
        List<EnrichedEvent> smalls = Matches.step(match, SMALL);
        EnrichedEvent big = Matches.single(match, LARGE);
        EnrichedEvent first = smalls.get(0);
        if (!Windows.lessThanApart(first.timestamp(), big.timestamp(), config.window())) {
            return null;
        }
        long smallTotal = 0;
        for (EnrichedEvent e : smalls) {
            smallTotal += e.event().amount();
        }
        Duration span = Duration.between(first.timestamp(), big.timestamp());
        return new Detection(
                config.id(),
                big.userId(),
                first.timestamp(),
                big.timestamp(),
                Matches.ids(smalls, List.of(big)),
                String.format(
                        "%d card payments under %s (total %s) then a payment of %s within %s.",
                        smalls.size(),
                        Money.format(config.moneyCents("smallBelow")),
                        Money.format(smallTotal),
                        Money.format(big.event().amount()),
                        Windows.describe(span)),
                evidence(smalls.size(), smallTotal, big, span));
    }

    private static List<Fact> evidence(
            int smallCount, long smallTotal, EnrichedEvent big, Duration span) {
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.integer("smallPayments", smallCount));
        facts.add(Fact.money("smallPaymentsTotal", smallTotal));
        facts.add(Fact.money("largeAmount", big.event().amount()));
        if (big.event().cardId() != null) {
            facts.add(Fact.text("cardId", big.event().cardId()));
        }
        if (big.event().merchantId() != null) {
            facts.add(Fact.text("merchantId", big.event().merchantId()));
        }
        facts.add(Fact.integer("spanSeconds", span.toSeconds()));
        return facts;
    }
}
