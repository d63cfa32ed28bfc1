package io.fraudcep.sampledata;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A naive reading of the four example rules of rules.md (their table, with the default params of
 * rules/rules-examples.yaml) on one user's events, to check the generator's example scenarios. Like
 * {@link ReferenceDetector}, it shares no code with the pipeline: events in (timestamp, eventId)
 * order, duplicates within 24 h dropped, each trigger's earliest-starting, largest match, and
 * suppression per rule.
 */
final class ExampleRulesReference {

    /** An alert: the rule, its first and last matched event, and when it fires. */
    record Alert(String ruleId, String firstEventId, String lastEventId, Instant detectedAt) {}

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration LOOKBACK = Duration.ofDays(180);
    private static final Map<String, Duration> WINDOWS =
            Map.of(
                    "CREDENTIAL_STUFFING", Duration.ofMinutes(10),
                    "UNREMEDIATED_TAKEOVER", Duration.ofHours(1),
                    "MULE_THIN_FILE", Duration.ofHours(2),
                    "NEW_DEVICE_PAYEE", Duration.ofMinutes(5));

    private ExampleRulesReference() {}

    /** The alerts of {@code ruleId} on one user's events (any order, duplicates included). */
    static List<Alert> detect(String ruleId, List<UserEvent> userEvents) {
        List<UserEvent> ev = accepted(userEvents);
        boolean[] newDevice = newDevices(ev);
        List<Alert> triggers = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            Alert a = trigger(ruleId, ev, newDevice, i);
            if (a != null) {
                triggers.add(a);
            }
        }
        triggers.sort(Comparator.comparing(Alert::detectedAt));
        List<Alert> alerts = new ArrayList<>();
        Duration w = WINDOWS.get(ruleId);
        for (Alert t : triggers) {
            Alert last = alerts.isEmpty() ? null : alerts.get(alerts.size() - 1);
            if (last == null || !t.detectedAt().isBefore(last.detectedAt().plus(w))) {
                alerts.add(t);
            }
        }
        return alerts;
    }

    /** The trigger whose last (present) event is ev[i], or null. */
    private static Alert trigger(String ruleId, List<UserEvent> ev, boolean[] newDevice, int i) {
        UserEvent e = ev.get(i);
        Duration w = WINDOWS.get(ruleId);
        switch (ruleId) {
            case "CREDENTIAL_STUFFING":
                if (e.type() == EventType.LOGIN_SUCCESS) {
                    List<UserEvent> failures = new ArrayList<>();
                    Set<String> devices = new HashSet<>();
                    for (int j = 0; j < i; j++) {
                        UserEvent f = ev.get(j);
                        if (f.type() == EventType.LOGIN_FAILURE && within(f, e, w)) {
                            failures.add(f);
                            devices.add(f.deviceId());
                        }
                    }
                    if (failures.size() >= 3 && devices.size() >= 3) {
                        return alert(ruleId, failures.get(0), e, e.timestamp());
                    }
                }
                return null;
            case "UNREMEDIATED_TAKEOVER":
                if (e.type() != EventType.MFA_DISABLED) {
                    return null;
                }
                Instant deadline = e.timestamp().plus(Duration.ofHours(1));
                for (UserEvent x : ev) {
                    if (x.type() == EventType.LOGIN_SUCCESS
                            && x.timestamp().isAfter(e.timestamp())
                            && !x.timestamp().isAfter(deadline)
                            && !newDevice[ev.indexOf(x)]) {
                        return null;
                    }
                }
                for (int j = 0; j < i; j++) {
                    if (ev.get(j).type() == EventType.LOGIN_SUCCESS
                            && newDevice[j]
                            && within(ev.get(j), e, w)) {
                        return alert(ruleId, ev.get(j), e, deadline);
                    }
                }
                return null;
            case "MULE_THIN_FILE":
                if (e.type() != EventType.TRANSFER_OUT && e.type() != EventType.WITHDRAWAL) {
                    return null;
                }
                for (int a = 0; a < i; a++) {
                    UserEvent in = ev.get(a);
                    if (in.type() != EventType.TRANSFER_IN
                            || in.amount() < 200_000
                            || a >= 10
                            || !within(in, e, w)) {
                        continue;
                    }
                    long out = 0;
                    for (int k = a + 1; k <= i; k++) {
                        EventType t = ev.get(k).type();
                        if (t == EventType.TRANSFER_OUT || t == EventType.WITHDRAWAL) {
                            out += ev.get(k).amount();
                        }
                    }
                    if (out * 5 >= in.amount() * 4) {
                        return alert(ruleId, in, e, e.timestamp());
                    }
                }
                return null;
            case "NEW_DEVICE_PAYEE":
                if (e.type() == EventType.PAYEE_ADDED && i > 0) {
                    UserEvent login = ev.get(i - 1);
                    if (login.type() == EventType.LOGIN_SUCCESS
                            && newDevice[i - 1]
                            && within(login, e, w)) {
                        return alert(ruleId, login, e, e.timestamp());
                    }
                }
                return null;
            default:
                throw new IllegalArgumentException("not an example rule: " + ruleId);
        }
    }

    private static Alert alert(String ruleId, UserEvent first, UserEvent last, Instant at) {
        return new Alert(ruleId, first.eventId(), last.eventId(), at);
    }

    /** True if {@code a} and {@code b} are less than {@code w} apart. */
    private static boolean within(UserEvent a, UserEvent b, Duration w) {
        return Duration.between(a.timestamp(), b.timestamp()).compareTo(w) < 0;
    }

    private static List<UserEvent> accepted(List<UserEvent> events) {
        List<UserEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId));
        Map<String, Instant> seen = new HashMap<>();
        List<UserEvent> out = new ArrayList<>();
        for (UserEvent e : sorted) {
            Instant at = seen.get(e.eventId());
            if (at != null && Duration.between(at, e.timestamp()).compareTo(DAY) < 0) {
                continue;
            }
            seen.put(e.eventId(), e.timestamp());
            out.add(e);
        }
        return out;
    }

    /** patterns.md: an earlier login less than 180 days before, and none from this device. */
    private static boolean[] newDevices(List<UserEvent> ev) {
        boolean[] out = new boolean[ev.size()];
        for (int i = 0; i < ev.size(); i++) {
            UserEvent e = ev.get(i);
            if (e.type() != EventType.LOGIN_SUCCESS) {
                continue;
            }
            boolean recent = false;
            boolean known = false;
            for (int j = 0; j < i; j++) {
                UserEvent l = ev.get(j);
                if (l.type() == EventType.LOGIN_SUCCESS && within(l, e, LOOKBACK)) {
                    recent = true;
                    known |= l.deviceId().equals(e.deviceId());
                }
            }
            out[i] = recent && !known;
        }
        return out;
    }
}
