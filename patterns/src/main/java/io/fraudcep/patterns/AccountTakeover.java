package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.patterns.conditions.AmountInRange;
import io.fraudcep.patterns.conditions.CredentialChange;
import io.fraudcep.patterns.conditions.NewDeviceLogin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * ACCOUNT_TAKEOVER: a {@code LOGIN_SUCCESS} from a new device, then a credential or contact change,
 * then a {@code TRANSFER_OUT} of at least 1000.00; login and transfer less than 30 min apart. The
 * three events come from three topics: the per-user event-time order makes them one sequence.
 */
public class AccountTakeover implements CepFraudPattern {

    private static final long serialVersionUID = 1L;

    static final String LOGIN = "new-device-login";
    static final String CHANGE = "credential-change";
    static final String TRANSFER = "transfer";

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "ACCOUNT_TAKEOVER",
                    Severity.CRITICAL,
                    Duration.ofMinutes(30),
                    "a LOGIN_SUCCESS from a new device, then a PASSWORD_CHANGE, EMAIL_CHANGE,"
                            + " PHONE_CHANGE or MFA_DISABLED, then a TRANSFER_OUT >= minAmount;"
                            + " login and transfer less than the window apart",
                    List.of(ParameterSpec.money("minAmount", "1000.00", "smallest transfer")),
                    AccountTakeover::new);

    private final PatternConfig config;
    private final long minCents;
    private final NewDeviceLogin login = new NewDeviceLogin();
    private final CredentialChange change = new CredentialChange();
    private final AmountInRange transfer;

    public AccountTakeover(PatternConfig config) {
        this.config = config;
        this.minCents = config.moneyCents("minAmount");
        this.transfer = AmountInRange.atLeast(minCents, EventType.TRANSFER_OUT);
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return login.filter(e) || change.filter(e) || transfer.filter(e);
    }

    @Override
    public Pattern<EnrichedEvent, ?> pattern() {
        return Pattern.<EnrichedEvent>begin(LOGIN, AfterMatchSkipStrategy.noSkip())
                .where(login)
                .followedBy(CHANGE)
                .where(change)
                // followedByAny: the opening events stay available to every later trigger in the
                // window;
                // followedBy would let the first trigger, even a suppressed one, consume them.
                .followedByAny(TRANSFER)
                .where(transfer)
                .within(Windows.cepWithin(config.window()));
    }

    @Override
    public Detection toDetection(Map<String, List<EnrichedEvent>> match) {
        EnrichedEvent l = Matches.single(match, LOGIN);
        EnrichedEvent c = Matches.single(match, CHANGE);
        EnrichedEvent t = Matches.single(match, TRANSFER);
        if (!Windows.lessThanApart(l.timestamp(), t.timestamp(), config.window())) {
            return null;
        }
        Duration span = Duration.between(l.timestamp(), t.timestamp());
        return new Detection(
                config.id(),
                t.userId(),
                l.timestamp(),
                t.timestamp(),
                List.of(l.eventId(), c.eventId(), t.eventId()),
                String.format(
                        "Login from new device %s, then %s, then a transfer of %s to %s within %s.",
                        l.event().deviceId(),
                        c.event().type(),
                        Money.format(t.event().amount()),
                        t.event().counterpartyId(),
                        Windows.describe(span)),
                List.of(
                        Fact.text("newDeviceId", l.event().deviceId()),
                        Fact.text("change", c.event().type().name()),
                        Fact.money("transferAmount", t.event().amount()),
                        Fact.text("counterpartyId", t.event().counterpartyId()),
                        Fact.integer("spanSeconds", span.toSeconds())));
    }
}
