package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.pattern.Pattern;

/** A pattern expressed as a Flink CEP {@link Pattern} and a match-to-detection function. */
public interface CepFraudPattern extends FraudPattern {

    /**
     * The CEP pattern. Its {@code within} is the window plus one millisecond: CEP compares
     * millisecond timestamps, and the exact "less than W apart" check on nanosecond event times is
     * done by {@link #toDetection}.
     */
    Pattern<EnrichedEvent, ?> pattern();

    /**
     * The detection for one CEP match, or null if the match fails the exact window check. The match
     * maps step names to the events each step took, in event-time order.
     */
    Detection toDetection(Map<String, List<EnrichedEvent>> match);
}
