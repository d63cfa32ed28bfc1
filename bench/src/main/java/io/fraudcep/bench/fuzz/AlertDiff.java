package io.fraudcep.bench.fuzz;

import io.fraudcep.alert.Alert;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Durations;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.fuzz.RefAlert;
import io.fraudcep.sampledata.fuzz.rules.RefRuleAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differences between the alerts the contract demands (the reference's) and those the pipeline
 * gave, alert by alert: matched on (user, pattern, detection time), then compared on the window
 * start and the matched event ids, which decide the alert id, and, where the reference names it (a
 * rule history), on the {@code patternVersion} of the rule version that judged the trigger.
 */
public final class AlertDiff {

    /** How one alert differs. */
    public enum Kind {
        /** The contract demands it; the pipeline gave none. */
        MISSING,
        /** The pipeline gave it; the contract demands none. */
        UNEXPECTED,
        /** Both alert at that trigger, with other matched events. */
        OTHER_MATCH,
        /** Both alert at that trigger with the same match, judged by another rule version. */
        OTHER_VERSION
    }

    /**
     * One difference; {@code expected} or {@code actual} is null where there is none.
     *
     * @param kind how they differ
     * @param expected the alert the contract demands, or null
     * @param expectedVersion the {@code patternVersion} it demands, or null where the reference
     *     names none (the default rules' contract)
     * @param actual the pipeline's alert, or null
     */
    public record Difference(Kind kind, RefAlert expected, String expectedVersion, Alert actual) {

        String userId() {
            return expected != null ? expected.userId() : actual.userId();
        }

        Instant detectedAt() {
            return expected != null ? expected.detectedAt() : actual.detectedAt();
        }

        String ruleId() {
            return expected != null ? expected.patternId() : actual.patternId();
        }

        Instant windowStart() {
            return expected != null ? expected.windowStart() : actual.windowStart();
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
                if (expectedVersion != null) {
                    b.append(" version ").append(expectedVersion);
                }
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
                if (expectedVersion != null || kind == Kind.UNEXPECTED) {
                    b.append(" version ").append(actual.patternVersion());
                }
            }
            return b.toString();
        }
    }

    private final List<Difference> differences;

    private AlertDiff(List<Difference> differences) {
        this.differences = List.copyOf(differences);
    }

    /** Compares alert by alert (the default rules' contract: no rule version to compare). */
    public static AlertDiff compare(List<RefAlert> expected, List<Alert> actual) {
        List<Expected> want = new ArrayList<>();
        expected.forEach(a -> want.add(new Expected(a, null)));
        return diff(want, actual);
    }

    /**
     * Compares alert by alert with a rule reference's alerts (of one mode, active or shadow): the
     * pipeline's alert must also carry the {@code patternVersion} of the version the reference
     * judged the trigger with.
     */
    public static AlertDiff compareRuleAlerts(List<RefRuleAlert> expected, List<Alert> actual) {
        List<Expected> want = new ArrayList<>();
        for (RefRuleAlert a : expected) {
            want.add(
                    new Expected(
                            new RefAlert(
                                    a.userId(),
                                    a.ruleId(),
                                    a.windowStart(),
                                    a.detectedAt(),
                                    a.eventIds()),
                            a.patternVersion()));
        }
        return diff(want, actual);
    }

    /** A demanded alert and the version that must judge it (null: not compared). */
    private record Expected(RefAlert alert, String patternVersion) {}

    private static AlertDiff diff(List<Expected> expected, List<Alert> actual) {
        Map<String, Expected> want = new TreeMap<>();
        for (Expected e : expected) {
            RefAlert a = e.alert();
            want.put(key(a.userId(), a.patternId(), a.detectedAt()), e);
        }
        Map<String, Alert> got = new TreeMap<>();
        List<Difference> out = new ArrayList<>();
        for (Alert a : actual) {
            if (got.put(key(a.userId(), a.patternId(), a.detectedAt()), a) != null) {
                // a second alert, same trigger
                out.add(new Difference(Kind.UNEXPECTED, null, null, a));
            }
        }
        for (Map.Entry<String, Expected> e : want.entrySet()) {
            Alert a = got.remove(e.getKey());
            RefAlert r = e.getValue().alert();
            String version = e.getValue().patternVersion();
            if (a == null) {
                out.add(new Difference(Kind.MISSING, r, version, null));
            } else if (!r.windowStart().equals(a.windowStart())
                    || !r.eventIds().equals(a.eventIds())) {
                out.add(new Difference(Kind.OTHER_MATCH, r, version, a));
            } else if (version != null && !version.equals(a.patternVersion())) {
                out.add(new Difference(Kind.OTHER_VERSION, r, version, a));
            }
        }
        got.values().forEach(a -> out.add(new Difference(Kind.UNEXPECTED, null, null, a)));
        out.sort(
                Comparator.comparing(Difference::detectedAt)
                        .thenComparing(Difference::userId)
                        .thenComparing(d -> d.kind().name()));
        return new AlertDiff(out);
    }

    /** The rule id's versions, the ones in force at the window start and the trigger marked. */
    private static void versions(StringBuilder b, Difference d, RuleHistory history) {
        RuleVersion atTrigger = history.inForce(d.ruleId(), d.detectedAt());
        RuleVersion atStart = history.inForce(d.ruleId(), d.windowStart());
        b.append("\n    versions of ").append(d.ruleId()).append(':');
        for (RuleVersion v : history.timeline(d.ruleId())) {
            Rule r = v.rule();
            Step last = r.steps().get(r.steps().size() - 1);
            b.append("\n      v")
                    .append(v.ruleVersion())
                    .append(' ')
                    .append(
                            v.effectiveFrom().equals(Instant.MIN)
                                    ? "rule file"
                                    : "from " + v.effectiveFrom())
                    .append(' ')
                    .append(r.mode().name().toLowerCase(Locale.ROOT))
                    .append(" window ")
                    .append(Durations.format(r.window()));
            if (last.absent() && last.forDuration() != null) {
                b.append(" absent ")
                        .append(last.name())
                        .append(" for ")
                        .append(Durations.format(last.forDuration()));
            }
            b.append(' ').append(RuleCanonical.patternVersion(r));
            if (v.equals(atStart) && v.equals(atTrigger)) {
                b.append("  <- in force at the window start and the trigger");
            } else if (v.equals(atStart)) {
                b.append("  <- in force at the window start");
            } else if (v.equals(atTrigger)) {
                b.append("  <- in force at the trigger");
            }
            for (Step s : r.steps()) {
                b.append("\n         ").append(s.absent() ? "no " : "").append(s.name());
                b.append(' ').append(s.types());
                if (!s.times().toString().equals("1")) {
                    b.append(" times ").append(s.times());
                }
                if (s.where() != null) {
                    b.append(" where ").append(s.where());
                }
                if (s.having() != null) {
                    b.append(" having ").append(s.having());
                }
                if (s.strict()) {
                    b.append(" strict");
                }
            }
        }
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
        return report(max, maxEvents, log, null);
    }

    /**
     * As {@link #report(int, int, List)}, with each difference's rule versions from {@code history}
     * (null: none): every version of the rule id with its instant, mode, window and {@code
     * patternVersion}, the ones in force at the window start and at the trigger marked.
     */
    public String report(int max, int maxEvents, List<UserEvent> log, RuleHistory history) {
        StringBuilder b = new StringBuilder();
        b.append(differences.size()).append(" difference(s)");
        for (Difference d : differences.subList(0, Math.min(max, differences.size()))) {
            b.append("\n  ").append(d.describe());
            if (history != null) {
                versions(b, d, history);
            }
            b.append("\n    events of ").append(d.userId());
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
