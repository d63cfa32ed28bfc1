package io.fraudcep.sampledata;

import io.fraudcep.model.EventCodec;
import io.fraudcep.model.EventType;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A deliberately naive, independent reading of patterns.md and alerts.md, used to check the
 * generator's labels: for every accepted event e of a user (duplicates dropped), in event-time
 * order, it looks back over the window ending at e for a match of each pattern whose last event is
 * e, then applies suppression. Quadratic and unoptimised on purpose; it shares no code with the
 * pipeline.
 */
final class ReferenceDetector {

    /** An alert: the user, the pattern, the triggering event and its time. */
    record Alert(String userId, String patternId, String triggerEventId, Instant detectedAt) {}

    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    private static final Map<String, Long> WINDOWS =
            Map.of(
                    "BRUTE_FORCE_LOGIN", 10 * MIN,
                    "ACCOUNT_TAKEOVER", 30 * MIN,
                    "CARD_TESTING", 15 * MIN,
                    "IMPOSSIBLE_TRAVEL", 6 * HOUR,
                    "VELOCITY", 5 * MIN,
                    "STRUCTURING", 24 * HOUR,
                    "MONEY_MULE", 2 * HOUR,
                    "DORMANT_ACCOUNT", HOUR,
                    "NEW_PAYEE_DRAIN", 10 * MIN);

    private ReferenceDetector() {}

    /** Detects on the three topic files of a log directory. */
    static List<Alert> detect(Path dir) throws IOException {
        List<UserEvent> accepted = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            Path file = dir.resolve(topic.fileName());
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    ParseResult p = EventCodec.parse(line);
                    if (p.isAccepted()) {
                        accepted.add(p.event());
                    }
                }
            }
        }
        return detect(accepted);
    }

    /** Detects on events in any order; ties in time keep their order in the list. */
    static List<Alert> detect(List<UserEvent> events) {
        Map<String, List<UserEvent>> byUser = new HashMap<>();
        for (UserEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<Alert> alerts = new ArrayList<>();
        for (List<UserEvent> userEvents : byUser.values()) {
            userEvents.sort(Comparator.comparing(UserEvent::timestamp));
            alerts.addAll(detectUser(dedupe(userEvents)));
        }
        alerts.sort(
                Comparator.comparing(Alert::userId)
                        .thenComparing(Alert::detectedAt)
                        .thenComparing(Alert::patternId));
        return alerts;
    }

    private static List<UserEvent> dedupe(List<UserEvent> events) {
        Map<String, Long> seen = new HashMap<>();
        List<UserEvent> out = new ArrayList<>();
        for (UserEvent e : events) {
            Long at = seen.get(e.eventId());
            if (at != null && e.timestampMillis() - at < DAY) {
                continue;
            }
            seen.put(e.eventId(), e.timestampMillis());
            out.add(e);
        }
        return out;
    }

    private static List<Alert> detectUser(List<UserEvent> ev) {
        List<Alert> alerts = new ArrayList<>();
        Map<String, Long> lastAlert = new HashMap<>();
        for (int i = 0; i < ev.size(); i++) {
            for (String pattern : WINDOWS.keySet().stream().sorted().toList()) {
                if (triggers(pattern, ev, i)) {
                    UserEvent e = ev.get(i);
                    Long last = lastAlert.get(pattern);
                    if (last == null || e.timestampMillis() >= last + WINDOWS.get(pattern)) {
                        lastAlert.put(pattern, e.timestampMillis());
                        alerts.add(new Alert(e.userId(), pattern, e.eventId(), e.timestamp()));
                    }
                }
            }
        }
        return alerts;
    }

    /** The events before index i (in order) within (t_i - w, t_i], oldest first. */
    private static List<UserEvent> windowBefore(List<UserEvent> ev, int i, long w) {
        long t = ev.get(i).timestampMillis();
        List<UserEvent> out = new ArrayList<>();
        for (int j = i - 1; j >= 0 && ev.get(j).timestampMillis() > t - w; j--) {
            out.add(0, ev.get(j));
        }
        return out;
    }

    static boolean triggers(String pattern, List<UserEvent> ev, int i) {
        UserEvent e = ev.get(i);
        List<UserEvent> before = windowBefore(ev, i, WINDOWS.get(pattern));
        switch (pattern) {
            case "BRUTE_FORCE_LOGIN":
                return e.type() == EventType.LOGIN_SUCCESS
                        && count(before, x -> x.type() == EventType.LOGIN_FAILURE) >= 5;
            case "ACCOUNT_TAKEOVER":
                if (e.type() != EventType.TRANSFER_OUT || e.amount() < 100_000) {
                    return false;
                }
                for (int a = 0; a < before.size(); a++) {
                    UserEvent login = before.get(a);
                    if (login.type() == EventType.LOGIN_SUCCESS && isNewDevice(ev, login)) {
                        for (int c = a + 1; c < before.size(); c++) {
                            if (before.get(c).type().isCredentialChange()) {
                                return true;
                            }
                        }
                    }
                }
                return false;
            case "CARD_TESTING":
                return e.type() == EventType.CARD_PAYMENT
                        && e.amount() >= 50_000
                        && count(
                                        before,
                                        x -> x.type() == EventType.CARD_PAYMENT && x.amount() < 500)
                                >= 3;
            case "IMPOSSIBLE_TRAVEL":
                if (e.type() != EventType.LOGIN_SUCCESS || !e.hasCoordinates()) {
                    return false;
                }
                for (int j = i - 1; j >= 0; j--) {
                    UserEvent p = ev.get(j);
                    if (p.type() == EventType.LOGIN_SUCCESS && p.hasCoordinates()) {
                        long gap = e.timestampMillis() - p.timestampMillis();
                        if (gap >= 6 * HOUR) {
                            return false;
                        }
                        double km = Geo.distanceKm(p.lat(), p.lon(), e.lat(), e.lon());
                        boolean fast = gap == 0 || km / (gap / 3_600_000.0) > 1000.0;
                        return km >= 500.0 && fast;
                    }
                }
                return false;
            case "VELOCITY":
                return e.type().isOutgoing() && count(before, x -> x.type().isOutgoing()) + 1 >= 10;
            case "STRUCTURING":
                return isStructuringDeposit(e)
                        && count(before, ReferenceDetector::isStructuringDeposit) + 1 >= 3;
            case "MONEY_MULE":
                if (!isMuleOutflow(e)) {
                    return false;
                }
                for (int a = 0; a < before.size(); a++) {
                    UserEvent in = before.get(a);
                    if (in.type() == EventType.TRANSFER_IN && in.amount() >= 200_000) {
                        long total = 0;
                        for (int k = a + 1; k < before.size(); k++) {
                            if (isMuleOutflow(before.get(k))) {
                                total += before.get(k).amount();
                            }
                        }
                        boolean below = total * 5 < in.amount() * 4;
                        boolean reaches = (total + e.amount()) * 5 >= in.amount() * 4;
                        if (below && reaches) {
                            return true;
                        }
                    }
                }
                return false;
            case "DORMANT_ACCOUNT":
                if ((e.type() != EventType.TRANSFER_OUT && e.type() != EventType.WITHDRAWAL)
                        || e.amount() < 100_000) {
                    return false;
                }
                for (UserEvent login : before) {
                    if (login.type() == EventType.LOGIN_SUCCESS) {
                        int li = ev.indexOf(login);
                        if (li > 0
                                && login.timestampMillis() - ev.get(li - 1).timestampMillis()
                                        >= 90 * DAY) {
                            return true;
                        }
                    }
                }
                return false;
            case "NEW_PAYEE_DRAIN":
                if (e.type() != EventType.TRANSFER_OUT || e.amount() < 500_000) {
                    return false;
                }
                for (UserEvent p : before) {
                    if (p.type() == EventType.PAYEE_ADDED
                            && p.payeeId().equals(e.counterpartyId())) {
                        return true;
                    }
                }
                return false;
            default:
                throw new IllegalArgumentException(pattern);
        }
    }

    private static boolean isStructuringDeposit(UserEvent x) {
        return x.type() == EventType.DEPOSIT && x.amount() >= 900_000 && x.amount() < 1_000_000;
    }

    private static boolean isMuleOutflow(UserEvent x) {
        return x.type() == EventType.TRANSFER_OUT || x.type() == EventType.WITHDRAWAL;
    }

    private static boolean isNewDevice(List<UserEvent> ev, UserEvent login) {
        int li = ev.indexOf(login);
        long t = login.timestampMillis();
        Set<String> devices = new HashSet<>();
        boolean any = false;
        for (int j = li - 1; j >= 0 && ev.get(j).timestampMillis() > t - 180 * DAY; j--) {
            UserEvent p = ev.get(j);
            if (p.type() == EventType.LOGIN_SUCCESS) {
                any = true;
                devices.add(p.deviceId());
            }
        }
        return any && !devices.contains(login.deviceId());
    }

    private static long count(List<UserEvent> events, Predicate<UserEvent> p) {
        return events.stream().filter(p).count();
    }

    static Duration window(String patternId) {
        return Duration.ofMillis(WINDOWS.get(patternId));
    }
}
