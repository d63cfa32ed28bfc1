package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.patterns.conditions.EventTypeIs;
import io.fraudcep.patterns.conditions.TransferToAddedPayee;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * NEW_PAYEE_DRAIN: a {@code PAYEE_ADDED} with payee P, then a {@code TRANSFER_OUT} to counterparty
 * P of at least 5000.00, less than 10 min after the {@code PAYEE_ADDED}.
 */
public class NewPayeeDrain implements CepFraudPattern {

    private static final long serialVersionUID = 1L;

    static final String PAYEE = "payee-added";
    static final String DRAIN = "drain";

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "NEW_PAYEE_DRAIN",
                    Severity.HIGH,
                    Duration.ofMinutes(10),
                    "a PAYEE_ADDED with payee P, then a TRANSFER_OUT to counterpartyId P >="
                            + " minAmount, less than the window after the PAYEE_ADDED",
                    List.of(ParameterSpec.money("minAmount", "5000.00", "smallest drain")),
                    NewPayeeDrain::new);

    private final PatternConfig config;
    private final EventTypeIs payeeAdded = new EventTypeIs(EventType.PAYEE_ADDED);
    private final TransferToAddedPayee drain;

    public NewPayeeDrain(PatternConfig config) {
        this.config = config;
        this.drain = new TransferToAddedPayee(PAYEE, config.moneyCents("minAmount"));
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return payeeAdded.filter(e) || drain.couldMatch(e);
    }

    @Override
    public Pattern<EnrichedEvent, ?> pattern() {
        return Pattern.<EnrichedEvent>begin(PAYEE, AfterMatchSkipStrategy.noSkip())
                .where(payeeAdded)
                // followedByAny: the opening events stay available to every later trigger in the
                // window;
                // followedBy would let the first trigger, even a suppressed one, consume them.
                .followedByAny(DRAIN)
                .where(drain)
                .within(Windows.cepWithin(config.window()));
    }

    @Override
    public Detection toDetection(Map<String, List<EnrichedEvent>> match) {
        EnrichedEvent p = Matches.single(match, PAYEE);
        EnrichedEvent t = Matches.single(match, DRAIN);
        if (!Windows.lessThanApart(p.timestamp(), t.timestamp(), config.window())) {
            return null;
        }
        Duration span = Duration.between(p.timestamp(), t.timestamp());
        return new Detection(
                config.id(),
                t.userId(),
                p.timestamp(),
                t.timestamp(),
                List.of(p.eventId(), t.eventId()),
                String.format(
                        "New payee %s added, then a transfer of %s to it within %s.",
                        p.event().payeeId(),
                        Money.format(t.event().amount()),
                        Windows.describe(span)),
                List.of(
                        Fact.text("payeeId", p.event().payeeId()),
                        Fact.money("amount", t.event().amount()),
                        Fact.integer("spanSeconds", span.toSeconds())));
    }
}
