package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.patterns.conditions.EventTypeIs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

/**
 * BRUTE_FORCE_LOGIN: at least N {@code LOGIN_FAILURE}, then a {@code LOGIN_SUCCESS}, the first
 * failure and the success less than W apart (N = 5, W = 10 min).
 */
public class BruteForceLogin implements CepFraudPattern {

    private static final long serialVersionUID = 1L;

    static final String FAILURES = "failures";
    static final String SUCCESS = "success";

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "BRUTE_FORCE_LOGIN",
                    Severity.MEDIUM,
                    Duration.ofMinutes(10),
                    "at least minFailures LOGIN_FAILURE, then a LOGIN_SUCCESS; the first of those"
                            + " failures and the success less than the window apart",
                    List.of(
                            ParameterSpec.count(
                                    "minFailures", 5, "failed logins before the success")),
                    BruteForceLogin::new);

    private final PatternConfig config;
    private final int minFailures;
    private final EventTypeIs failure = new EventTypeIs(EventType.LOGIN_FAILURE);
    private final EventTypeIs success = new EventTypeIs(EventType.LOGIN_SUCCESS);

    public BruteForceLogin(PatternConfig config) {
        this.config = config;
        this.minFailures = Math.toIntExact(config.count("minFailures"));
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    /**
     * Failures, and the successes that a failure precedes within the window: a success with no
     * failure in its window can neither end a match nor start one, and most logins are such
     * successes.
     */
    @Override
    public boolean accepts(EnrichedEvent e) {
        if (failure.filter(e)) {
            return true;
        }
        return success.filter(e)
                && e.previousLoginFailure() != null
                && Windows.lessThanApart(e.previousLoginFailure(), e.timestamp(), config.window());
    }

    @Override
    public Pattern<EnrichedEvent, ?> pattern() {
        return Pattern.<EnrichedEvent>begin(FAILURES, AfterMatchSkipStrategy.noSkip())
                .where(failure)
                .timesOrMore(minFailures)
                // followedByAny: the opening events stay available to every later trigger in the
                // window;
                // followedBy would let the first trigger, even a suppressed one, consume them.
                .followedByAny(SUCCESS)
                .where(success)
                .within(Windows.cepWithin(config.window()));
    }

    @Override
    public Detection toDetection(Map<String, List<EnrichedEvent>> match) {
        List<EnrichedEvent> failures = Matches.step(match, FAILURES);
        EnrichedEvent login = Matches.single(match, SUCCESS);
        EnrichedEvent first = failures.get(0);
        if (!Windows.lessThanApart(first.timestamp(), login.timestamp(), config.window())) {
            return null;
        }
        Duration span = Duration.between(first.timestamp(), login.timestamp());
        return new Detection(
                config.id(),
                login.userId(),
                first.timestamp(),
                login.timestamp(),
                Matches.ids(failures, List.of(login)),
                String.format(
                        "%d failed logins followed by a successful login from device %s within %s.",
                        failures.size(), login.event().deviceId(), Windows.describe(span)),
                List.of(
                        Fact.integer("failedLogins", failures.size()),
                        Fact.text("successDeviceId", login.event().deviceId()),
                        Fact.integer("spanSeconds", span.toSeconds()),
                        Fact.integer("minFailures", minFailures)));
    }
}
