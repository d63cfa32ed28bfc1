package io.fraudcep.sampledata.fuzz;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A naive oracle of the default pattern catalogue (patterns.md), the trigger and suppression rules
 * (alerts.md) and the de-duplication of events.md, written from the contract text alone for
 * differential tests of the pipeline; it shares no code with the pipeline's detection.
 *
 * <p>Per user, events are ordered by (timestamp, eventId). An event whose eventId was already
 * accepted for the user less than 24 h earlier is dropped; only accepted events count. For every
 * accepted event e and every pattern, the accepted events up to e in that order with times in (t_e
 * - W, t_e] are searched by brute force for a match whose last event is e; a triggering event
 * alerts unless the last alert of the same (user, pattern) is less than W before it. The alert
 * carries the earliest-starting, largest match ending at e. Quadratic within windows, exact on
 * money (cents) and time (nanoseconds); doubles only for the travel geometry.
 */
public final class ContractReference {

    /** Pattern ids of the default catalogue. */
    public static final String BRUTE_FORCE_LOGIN = "BRUTE_FORCE_LOGIN";

    public static final String ACCOUNT_TAKEOVER = "ACCOUNT_TAKEOVER";
    public static final String CARD_TESTING = "CARD_TESTING";
    public static final String IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL";
    public static final String VELOCITY = "VELOCITY";
    public static final String STRUCTURING = "STRUCTURING";
    public static final String MONEY_MULE = "MONEY_MULE";
    public static final String DORMANT_ACCOUNT = "DORMANT_ACCOUNT";
    public static final String NEW_PAYEE_DRAIN = "NEW_PAYEE_DRAIN";

    /** events.md: a repeated eventId within this much event time is a producer retry. */
    public static final Duration DUPLICATE_HORIZON = Duration.ofHours(24);

    /** patterns.md "new device": earlier logins considered. */
    public static final Duration NEW_DEVICE_LOOKBACK = Duration.ofDays(180);

    public static final int BRUTE_FORCE_MIN_FAILURES = 5;
    public static final long TAKEOVER_MIN_TRANSFER_CENTS = 1000_00;
    public static final int CARD_TESTING_MIN_SMALL = 3;
    public static final long CARD_TESTING_SMALL_BELOW_CENTS = 5_00;
    public static final long CARD_TESTING_LARGE_AT_LEAST_CENTS = 500_00;
    public static final double EARTH_RADIUS_KM = 6371.0;
    public static final double TRAVEL_MIN_KM = 500.0;
    public static final double TRAVEL_SPEED_ABOVE_KMH = 1000.0;
    public static final int VELOCITY_MIN_OUTGOING = 10;
    public static final int STRUCTURING_MIN_DEPOSITS = 3;
    public static final long STRUCTURING_FROM_CENTS = 9000_00;
    public static final long STRUCTURING_BELOW_CENTS = 10000_00;
    public static final long MULE_MIN_IN_CENTS = 2000_00;
    public static final long MULE_PASS_THROUGH_PERCENT = 80;
    public static final Duration DORMANCY = Duration.ofDays(90);
    public static final long DORMANT_MIN_OUT_CENTS = 1000_00;
    public static final long DRAIN_MIN_TRANSFER_CENTS = 5000_00;

    private static final Set<EventType> OUTGOING =
            EnumSet.of(EventType.CARD_PAYMENT, EventType.TRANSFER_OUT, EventType.WITHDRAWAL);
    private static final Set<EventType> CREDENTIAL_CHANGES =
            EnumSet.of(
                    EventType.PASSWORD_CHANGE,
                    EventType.EMAIL_CHANGE,
                    EventType.PHONE_CHANGE,
                    EventType.MFA_DISABLED);
    private static final Set<EventType> OUTFLOWS =
            EnumSet.of(EventType.TRANSFER_OUT, EventType.WITHDRAWAL);

    /** The per-user order of the contract: event time, then eventId. */
    public static final Comparator<UserEvent> ORDER =
            Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId);

    private ContractReference() {}

    /** The nine patterns of the default catalogue, each with its id, its window and its matcher. */
    public enum Pattern {
        BRUTE_FORCE_LOGIN(ContractReference.BRUTE_FORCE_LOGIN, Duration.ofMinutes(10)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (h.type(i) != EventType.LOGIN_SUCCESS) {
                    return null;
                }
                List<UserEvent> failures =
                        h.before(i, window(), x -> x.type() == EventType.LOGIN_FAILURE);
                return failures.size() >= BRUTE_FORCE_MIN_FAILURES ? h.plus(failures, i) : null;
            }
        },
        ACCOUNT_TAKEOVER(ContractReference.ACCOUNT_TAKEOVER, Duration.ofMinutes(30)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (h.type(i) != EventType.TRANSFER_OUT
                        || h.amount(i) < TAKEOVER_MIN_TRANSFER_CENTS) {
                    return null;
                }
                for (int l = h.windowFrom(i, window()); l < i; l++) {
                    if (h.type(l) != EventType.LOGIN_SUCCESS || !h.newDevice(l)) {
                        continue;
                    }
                    for (int c = l + 1; c < i; c++) {
                        if (CREDENTIAL_CHANGES.contains(h.type(c))) {
                            return List.of(h.event(l), h.event(c), h.event(i));
                        }
                    }
                }
                return null;
            }
        },
        CARD_TESTING(ContractReference.CARD_TESTING, Duration.ofMinutes(15)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (h.type(i) != EventType.CARD_PAYMENT
                        || h.amount(i) < CARD_TESTING_LARGE_AT_LEAST_CENTS) {
                    return null;
                }
                List<UserEvent> small =
                        h.before(
                                i,
                                window(),
                                x ->
                                        x.type() == EventType.CARD_PAYMENT
                                                && cents(x) < CARD_TESTING_SMALL_BELOW_CENTS);
                return small.size() >= CARD_TESTING_MIN_SMALL ? h.plus(small, i) : null;
            }
        },
        IMPOSSIBLE_TRAVEL(ContractReference.IMPOSSIBLE_TRAVEL, Duration.ofHours(6)) {
            @Override
            List<UserEvent> match(History h, int i) {
                UserEvent e = h.event(i);
                if (e.type() != EventType.LOGIN_SUCCESS || !hasCoordinates(e)) {
                    return null;
                }
                int p = h.previousLoginWithCoordinates(i);
                if (p < 0) {
                    return null;
                }
                UserEvent prev = h.event(p);
                Duration gap = Duration.between(prev.timestamp(), e.timestamp());
                if (gap.compareTo(window()) >= 0) {
                    return null;
                }
                double km = haversineKm(prev.lat(), prev.lon(), e.lat(), e.lon());
                if (km < TRAVEL_MIN_KM) {
                    return null;
                }
                if (!gap.isZero()) {
                    double hours = gap.toNanos() / 3_600_000_000_000.0;
                    if (!(km / hours > TRAVEL_SPEED_ABOVE_KMH)) {
                        return null;
                    }
                }
                return List.of(prev, e);
            }
        },
        VELOCITY(ContractReference.VELOCITY, Duration.ofMinutes(5)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (!OUTGOING.contains(h.type(i))) {
                    return null;
                }
                List<UserEvent> out =
                        h.plus(h.before(i, window(), x -> OUTGOING.contains(x.type())), i);
                return out.size() >= VELOCITY_MIN_OUTGOING ? out : null;
            }
        },
        STRUCTURING(ContractReference.STRUCTURING, Duration.ofHours(24)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (!isStructuringDeposit(h.event(i))) {
                    return null;
                }
                List<UserEvent> deposits =
                        h.plus(h.before(i, window(), ContractReference::isStructuringDeposit), i);
                return deposits.size() >= STRUCTURING_MIN_DEPOSITS ? deposits : null;
            }
        },
        MONEY_MULE(ContractReference.MONEY_MULE, Duration.ofHours(2)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (!OUTFLOWS.contains(h.type(i))) {
                    return null;
                }
                for (int a = h.windowFrom(i, window()); a < i; a++) {
                    if (h.type(a) != EventType.TRANSFER_IN || h.amount(a) < MULE_MIN_IN_CENTS) {
                        continue;
                    }
                    List<UserEvent> match = new ArrayList<>();
                    match.add(h.event(a));
                    long total = 0;
                    for (int k = a + 1; k <= i; k++) {
                        if (OUTFLOWS.contains(h.type(k))) {
                            match.add(h.event(k));
                            total = Math.addExact(total, h.amount(k));
                        }
                    }
                    if (Math.multiplyExact(total, 100L)
                            >= Math.multiplyExact(h.amount(a), MULE_PASS_THROUGH_PERCENT)) {
                        return match;
                    }
                }
                return null;
            }
        },
        DORMANT_ACCOUNT(ContractReference.DORMANT_ACCOUNT, Duration.ofHours(1)) {
            @Override
            List<UserEvent> match(History h, int i) {
                if (!OUTFLOWS.contains(h.type(i)) || h.amount(i) < DORMANT_MIN_OUT_CENTS) {
                    return null;
                }
                for (int l = h.windowFrom(i, window()); l < i; l++) {
                    if (h.type(l) == EventType.LOGIN_SUCCESS
                            && l > 0
                            && h.gapBefore(l).compareTo(DORMANCY) >= 0) {
                        return List.of(h.event(l), h.event(i));
                    }
                }
                return null;
            }
        },
        NEW_PAYEE_DRAIN(ContractReference.NEW_PAYEE_DRAIN, Duration.ofMinutes(10)) {
            @Override
            List<UserEvent> match(History h, int i) {
                UserEvent e = h.event(i);
                if (e.type() != EventType.TRANSFER_OUT
                        || h.amount(i) < DRAIN_MIN_TRANSFER_CENTS
                        || e.counterpartyId() == null) {
                    return null;
                }
                for (int p = h.windowFrom(i, window()); p < i; p++) {
                    if (h.type(p) == EventType.PAYEE_ADDED
                            && e.counterpartyId().equals(h.event(p).payeeId())) {
                        return List.of(h.event(p), e);
                    }
                }
                return null;
            }
        };

        private final String id;
        private final Duration window;

        Pattern(String id, Duration window) {
            this.id = id;
            this.window = window;
        }

        public String id() {
            return id;
        }

        /** The window W: matched events less than W apart; also the suppression period. */
        public Duration window() {
            return window;
        }

        /** The earliest-starting, largest match ending at accepted event i, or null. */
        abstract List<UserEvent> match(History h, int i);
    }

    /**
     * What the reference finds on a log.
     *
     * @param alerts the alerts, sorted by (userId, detectedAt, patternId)
     * @param acceptedEvents events that count (after de-duplication)
     * @param duplicatesDropped events dropped as producer retries
     */
    public record Detection(List<RefAlert> alerts, long acceptedEvents, long duplicatesDropped) {}

    /** The alerts the contract demands on these events (any order, duplicates included). */
    public static List<RefAlert> detect(List<UserEvent> events) {
        return analyse(events).alerts();
    }

    /** The alerts and the de-duplication counts on these events. */
    public static Detection analyse(List<UserEvent> events) {
        Map<String, List<UserEvent>> byUser = new TreeMap<>();
        for (UserEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<RefAlert> alerts = new ArrayList<>();
        long accepted = 0;
        long dropped = 0;
        for (List<UserEvent> userEvents : byUser.values()) {
            userEvents.sort(ORDER);
            List<UserEvent> kept = dedupe(userEvents);
            accepted += kept.size();
            dropped += userEvents.size() - kept.size();
            alerts.addAll(detectUser(new History(kept)));
        }
        alerts.sort(
                Comparator.comparing(RefAlert::userId)
                        .thenComparing(RefAlert::detectedAt)
                        .thenComparing(RefAlert::patternId));
        return new Detection(List.copyOf(alerts), accepted, dropped);
    }

    /** One user's events in {@link #ORDER}, without the producer retries. */
    static List<UserEvent> dedupe(List<UserEvent> ordered) {
        Map<String, Instant> acceptedAt = new HashMap<>();
        List<UserEvent> kept = new ArrayList<>();
        for (UserEvent e : ordered) {
            Instant t0 = acceptedAt.get(e.eventId());
            if (t0 != null
                    && Duration.between(t0, e.timestamp()).compareTo(DUPLICATE_HORIZON) < 0) {
                continue;
            }
            acceptedAt.put(e.eventId(), e.timestamp());
            kept.add(e);
        }
        return kept;
    }

    private static List<RefAlert> detectUser(History h) {
        List<RefAlert> alerts = new ArrayList<>();
        Map<Pattern, Instant> lastAlert = new EnumMap<>(Pattern.class);
        for (int i = 0; i < h.size(); i++) {
            Instant t = h.event(i).timestamp();
            for (Pattern p : Pattern.values()) {
                List<UserEvent> match = p.match(h, i);
                if (match == null) {
                    continue;
                }
                Instant last = lastAlert.get(p);
                if (last != null && t.isBefore(last.plus(p.window()))) {
                    continue;
                }
                lastAlert.put(p, t);
                alerts.add(
                        new RefAlert(
                                h.event(i).userId(),
                                p.id(),
                                match.get(0).timestamp(),
                                t,
                                match.stream().map(UserEvent::eventId).toList()));
            }
        }
        return alerts;
    }

    static boolean hasCoordinates(UserEvent e) {
        return e.lat() != null && e.lon() != null;
    }

    static boolean isStructuringDeposit(UserEvent e) {
        return e.type() == EventType.DEPOSIT
                && cents(e) >= STRUCTURING_FROM_CENTS
                && cents(e) < STRUCTURING_BELOW_CENTS;
    }

    /** The amount in cents; 0 for events without one. */
    static long cents(UserEvent e) {
        return e.amountCents() == null ? 0L : e.amountCents();
    }

    /** Great-circle distance by the haversine formula on a sphere of 6371.0 km. */
    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double a =
                Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
                        + Math.cos(phi1)
                                * Math.cos(phi2)
                                * Math.sin(dLambda / 2)
                                * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }

    /** One user's accepted events in order, with the per-event facts the patterns read. */
    static final class History {
        private final List<UserEvent> events;
        private final Boolean[] newDevice;
        private final int[] previousLoginWithCoordinates;

        History(List<UserEvent> accepted) {
            this.events = accepted;
            this.newDevice = new Boolean[accepted.size()];
            this.previousLoginWithCoordinates = new int[accepted.size()];
            int last = -1;
            for (int i = 0; i < accepted.size(); i++) {
                previousLoginWithCoordinates[i] = last;
                UserEvent e = accepted.get(i);
                if (e.type() == EventType.LOGIN_SUCCESS && hasCoordinates(e)) {
                    last = i;
                }
            }
        }

        int size() {
            return events.size();
        }

        UserEvent event(int i) {
            return events.get(i);
        }

        EventType type(int i) {
            return events.get(i).type();
        }

        long amount(int i) {
            return cents(events.get(i));
        }

        /** The first index whose time is in (t_i - w, t_i]. */
        int windowFrom(int i, Duration w) {
            Instant from = events.get(i).timestamp().minus(w);
            int j = i;
            while (j > 0 && events.get(j - 1).timestamp().isAfter(from)) {
                j--;
            }
            return j;
        }

        /** The events before i in its window that satisfy the test, in order. */
        List<UserEvent> before(int i, Duration w, Predicate<UserEvent> test) {
            List<UserEvent> out = new ArrayList<>();
            for (int j = windowFrom(i, w); j < i; j++) {
                if (test.test(events.get(j))) {
                    out.add(events.get(j));
                }
            }
            return out;
        }

        /** The list with event i appended. */
        List<UserEvent> plus(List<UserEvent> list, int i) {
            List<UserEvent> out = new ArrayList<>(list);
            out.add(events.get(i));
            return out;
        }

        /** Time since the previous accepted event; i must be > 0. */
        Duration gapBefore(int i) {
            return Duration.between(events.get(i - 1).timestamp(), events.get(i).timestamp());
        }

        /**
         * patterns.md: login i is from a new device if the user has at least one earlier
         * LOGIN_SUCCESS less than 180 days before it and none of those used its deviceId.
         */
        boolean newDevice(int i) {
            if (newDevice[i] == null) {
                UserEvent login = events.get(i);
                Instant from = login.timestamp().minus(NEW_DEVICE_LOOKBACK);
                boolean earlier = false;
                boolean known = false;
                for (int j = i - 1; j >= 0 && events.get(j).timestamp().isAfter(from); j--) {
                    UserEvent prev = events.get(j);
                    if (prev.type() == EventType.LOGIN_SUCCESS) {
                        earlier = true;
                        known |= Objects.equals(prev.deviceId(), login.deviceId());
                    }
                }
                newDevice[i] = earlier && !known;
            }
            return newDevice[i];
        }

        /** The latest LOGIN_SUCCESS with coordinates before i, however old, or -1. */
        int previousLoginWithCoordinates(int i) {
            return previousLoginWithCoordinates[i];
        }
    }
}
