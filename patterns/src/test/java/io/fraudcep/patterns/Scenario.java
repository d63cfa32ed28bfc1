package io.fraudcep.patterns;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Fact;
import io.fraudcep.detect.DetectionTestKit;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of several independent cases (one user each) replayed as one log, and the alerts the
 * detection core gives on it. Events arrive in event-time order unless a case delays one explicitly
 * (by less than the 5 s out-of-orderness bound), so a case never turns another case's events late.
 * The log runs once, on first use, on the test class's shared MiniCluster.
 */
final class Scenario {

    /** Arrival delays stay below this, well inside the test kit's 5 s bound. */
    static final Duration MAX_DELAY = Duration.ofSeconds(3);

    private record Arrival(UserEvent event, Instant arrival, int seq) {}

    private final RuleSet catalogue;
    private final List<Arrival> arrivals = new ArrayList<>();
    private List<Alert> alerts;

    Scenario(RuleSet catalogue) {
        this.catalogue = catalogue;
    }

    /** Events that arrive at their event time. */
    Scenario add(UserEvent... events) {
        for (UserEvent e : events) {
            arrivals.add(new Arrival(e, e.timestamp(), arrivals.size()));
        }
        return this;
    }

    /** Events that arrive after their event time, behind younger events of up to {@code delay}. */
    Scenario addDelayed(Duration delay, UserEvent... events) {
        if (delay.compareTo(MAX_DELAY) > 0 || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be in [0, 3 s]: " + delay);
        }
        for (UserEvent e : events) {
            arrivals.add(new Arrival(e, e.timestamp().plus(delay), arrivals.size()));
        }
        return this;
    }

    /** The log in arrival order. */
    List<UserEvent> log() {
        List<Arrival> sorted = new ArrayList<>(arrivals);
        sorted.sort(Comparator.comparing(Arrival::arrival).thenComparingInt(Arrival::seq));
        List<UserEvent> log = new ArrayList<>();
        for (Arrival a : sorted) {
            log.add(a.event());
        }
        return log;
    }

    /** Runs the log through the detection core; a fresh run on every call. */
    List<Alert> runAgain() throws Exception {
        return DetectionTestKit.run(log(), catalogue);
    }

    /** The alerts of the first run, sorted by detection time. */
    List<Alert> alerts() throws Exception {
        if (alerts == null) {
            alerts = runAgain();
        }
        return alerts;
    }

    /** The alerts of one user, in detection order. */
    List<Alert> alertsOf(String userId) throws Exception {
        List<Alert> mine = new ArrayList<>();
        for (Alert a : alerts()) {
            if (a.userId().equals(userId)) {
                mine.add(a);
            }
        }
        return mine;
    }

    /** The evidence of an alert as name -> exact value text. */
    static Map<String, String> evidence(Alert alert) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (Fact f : alert.evidence()) {
            facts.put(f.name(), f.value());
        }
        return facts;
    }
}
