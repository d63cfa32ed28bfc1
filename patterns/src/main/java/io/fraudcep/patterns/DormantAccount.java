package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.patterns.conditions.AmountInRange;
import io.fraudcep.patterns.conditions.DormantLogin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * DORMANT_ACCOUNT: a {@code LOGIN_SUCCESS} of a user whose previous accepted event of any type is
 * at least 90 days older, then a {@code TRANSFER_OUT} or {@code WITHDRAWAL} of at least 1000.00
 * less than 1 h after that login. The dormancy comes from the enrichment's previous event time.
 */
public class DormantAccount implements CepFraudPattern {

    private static final long serialVersionUID = 1L;

    static final String LOGIN = "dormant-login";
    static final String OUTFLOW = "outflow";

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "DORMANT_ACCOUNT",
                    Severity.HIGH,
                    Duration.ofHours(1),
                    "a LOGIN_SUCCESS whose previous accepted event is at least minDormancy older,"
                            + " then a TRANSFER_OUT or WITHDRAWAL >= minAmount less than the window"
                            + " after that login",
                    List.of(
                            ParameterSpec.duration(
                                    "minDormancy", "90d", "silence before the login"),
                            ParameterSpec.money("minAmount", "1000.00", "smallest outflow")),
                    DormantAccount::new);

    private final PatternConfig config;
    private final DormantLogin login;
    private final AmountInRange outflow;

    public DormantAccount(PatternConfig config) {
        this.config = config;
        this.login = new DormantLogin(config.duration("minDormancy"));
        this.outflow =
                AmountInRange.atLeast(
                        config.moneyCents("minAmount"),
                        EventType.TRANSFER_OUT,
                        EventType.WITHDRAWAL);
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        return login.filter(e) || outflow.filter(e);
    }

    @Override
    public Pattern<EnrichedEvent, ?> pattern() {
        return Pattern.<EnrichedEvent>begin(LOGIN, AfterMatchSkipStrategy.noSkip())
                .where(login)
                // followedByAny: the opening events stay available to every later trigger in the
                // window;
                // followedBy would let the first trigger, even a suppressed one, consume them.
                .followedByAny(OUTFLOW)
                .where(outflow)
                .within(Windows.cepWithin(config.window()));
    }

    @Override
    public Detection toDetection(Map<String, List<EnrichedEvent>> match) {
        EnrichedEvent l = Matches.single(match, LOGIN);
        EnrichedEvent o = Matches.single(match, OUTFLOW);
        if (!Windows.lessThanApart(l.timestamp(), o.timestamp(), config.window())) {
            return null;
        }
        Duration dormancy = Duration.between(l.previousEventTime(), l.timestamp());
        return new Detection(
                config.id(),
                o.userId(),
                l.timestamp(),
                o.timestamp(),
                List.of(l.eventId(), o.eventId()),
                String.format(
                        "Login after %d days of inactivity, then a %s of %s within %s.",
                        dormancy.toDays(),
                        o.event().type(),
                        Money.format(o.event().amount()),
                        Windows.describe(Duration.between(l.timestamp(), o.timestamp()))),
                List.of(
                        Fact.integer("dormantDays", dormancy.toDays()),
                        Fact.time("previousActivityAt", l.previousEventTime()),
                        Fact.text("outflowType", o.event().type().name()),
                        Fact.money("amount", o.event().amount()),
                        Fact.text("deviceId", l.event().deviceId())));
    }
}
