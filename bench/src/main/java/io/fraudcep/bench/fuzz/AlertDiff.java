package io.fraudcep.bench.fuzz;

import io.fraudcep.alert.Alert;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.fuzz.RefAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differences between the alerts the contract demands (the reference's) and those the pipeline
 * gave, alert by alert: matched on (user, pattern, detection time), then compared on the window
 * start and the matched event ids, which decide the alert id.
 */
public final class AlertDiff {

    /** How one alert differs. */
    public enum Kind {
        /** The contract demands it; the pipeline gave none. */
        MISSING,
        /** The pipeline gave it; the contract demands none. */
        UNEXPECTED,
        /** Both alert at that trigger, with other matched events. */
        OTHER_MATCH
    }

    /** One difference; {@code expected} or {@code actual} is null where there is none. */
    public record Difference(Kind kind, RefAlert expected, Alert actual) {

        String userId() {
            return expected != null ? expected.userId() : actual.userId();
        }

        Instant detectedAt() {
            return expected != null ? expected.detectedAt() : actual.detectedAt();
        }

        String describe() {
            StringBuilder b = new StringBuilder(kind.name());
            if (expected != null) {
                b.append("\n    contract: ")
                        .append(expected.patternId())
                        .append(' ')
                        .append(expected.userId())
                        .append(" window ")
                        .append(expected.windowStart())
                        .append(" .. ")
                        .append(expected.detectedAt())
                        .append(' ')
                        .append(expected.eventIds());
            }
            if (actual != null) {
                b.append("\n    pipeline: ")
                        .append(actual.patternId())
                        .append(' ')
                        .append(actual.userId())
                        .append(" window ")
                        .append(actual.windowStart())
                        .append(" .. ")
                        .append(actual.detectedAt())
                        .append(' ')
                        .append(actual.eventIds());
            }
            return b.toString();
        }
    }

    private final List<Difference> differences;

    private AlertDiff(List<Difference> differences) {
        this.differences = List.copyOf(differences);
    }

    /** Compares alert by alert. */
    public static AlertDiff compare(List<RefAlert> expected, List<Alert> actual) {
        Map<String, RefAlert> want = new TreeMap<>();
        for (RefAlert a : expected) {
            want.put(key(a.userId(), a.patternId(), a.detectedAt()), a);
        }
        Map<String, Alert> got = new TreeMap<>();
        List<Difference> out = new ArrayList<>();
        for (Alert a : actual) {
            if (got.put(key(a.userId(), a.patternId(), a.detectedAt()), a) != null) {
                out.add(new Difference(Kind.UNEXPECTED, null, a)); // a second alert, same trigger
            }
        }
        for (Map.Entry<String, RefAlert> e : want.entrySet()) {
            Alert a = got.remove(e.getKey());
            RefAlert r = e.getValue();
            if (a == null) {
                out.add(new Difference(Kind.MISSING, r, null));
            } else if (!r.windowStart().equals(a.windowStart())
                    || !r.eventIds().equals(a.eventIds())) {
                out.add(new Difference(Kind.OTHER_MATCH, r, a));
            }
        }
        got.values().forEach(a -> out.add(new Difference(Kind.UNEXPECTED, null, a)));
        out.sort(
                Comparator.comparing(Difference::detectedAt)
                        .thenComparing(Difference::userId)
                        .thenComparing(d -> d.kind().name()));
        return new AlertDiff(out);
    }

    private static String key(String user, String pattern, Instant detectedAt) {
        return user + '\n' + pattern + '\n' + detectedAt;
    }

    public boolean isEmpty() {
        return differences.isEmpty();
    }

    public List<Difference> differences() {
        return differences;
    }

    /**
     * The first {@code max} differences, each with the user's events from a day before it to a
     * minute after (at most {@code maxEvents} of them, the latest), so a reader sees what the
     * decision had to go on.
     */
    public String report(int max, int maxEvents, List<UserEvent> log) {
        StringBuilder b = new StringBuilder();
        b.append(differences.size()).append(" difference(s)");
        for (Difference d : differences.subList(0, Math.min(max, differences.size()))) {
            b.append("\n  ").append(d.describe()).append("\n    events of ").append(d.userId());
            b.append(" (a day before to a minute after, event time order):");
            Instant from = d.detectedAt().minus(Duration.ofDays(1));
            Instant to = d.detectedAt().plus(Duration.ofMinutes(1));
            List<UserEvent> around = new ArrayList<>();
            for (UserEvent e : log) {
                if (e.userId().equals(d.userId())
                        && !e.timestamp().isBefore(from)
                        && !e.timestamp().isAfter(to)) {
                    around.add(e);
                }
            }
            around.sort(
                    Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId));
            for (UserEvent e :
                    around.subList(Math.max(0, around.size() - maxEvents), around.size())) {
                b.append("\n      ")
                        .append(e.timestamp())
                        .append(' ')
                        .append(e.eventId())
                        .append(' ')
                        .append(e.type());
                if (e.amountCents() != null) {
                    b.append(' ').append(io.fraudcep.model.Money.format(e.amountCents()));
                }
                if (e.deviceId() != null) {
                    b.append(" device=").append(e.deviceId());
                }
                if (e.counterpartyId() != null) {
                    b.append(" to=").append(e.counterpartyId());
                }
                if (e.payeeId() != null) {
                    b.append(" payee=").append(e.payeeId());
                }
                if (e.hasCoordinates()) {
                    b.append(" at=").append(e.lat()).append(',').append(e.lon());
                }
            }
        }
        return b.toString();
    }
}
