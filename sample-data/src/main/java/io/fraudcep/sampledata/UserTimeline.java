package io.fraudcep.sampledata;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One user's events in event-time order, generated lazily so that a log of any length streams with
 * memory bounded by the number of users: a profile (home city, devices, payees, salary, card),
 * background behaviour day by day, and at most one injected {@link Scenario}.
 *
 * <p>The background fires no pattern of patterns.md, by construction:
 *
 * <ul>
 *   <li>Activities (an app session, a card payment, a withdrawal, a bill, an incoming transfer, a
 *       deposit) start at least one hour after the previous activity's last event and last a few
 *       minutes, so no window of 30 minutes or less holds events of two activities. One activity
 *       has at most 2 failed logins, 1 card payment and 2 outgoing transactions: no {@code
 *       BRUTE_FORCE_LOGIN}, {@code CARD_TESTING} or {@code VELOCITY}.
 *   <li>A session with a credential change holds no transfer, so with the one-hour spacing no
 *       transfer follows a credential change within 30 minutes: no {@code ACCOUNT_TAKEOVER},
 *       whichever logins count as new devices (new phones happen, without credential changes).
 *   <li>Outgoing transfers stay under 5000.00 and no activity starts within 2 h 5 min after an
 *       incoming transfer of 2000.00 or more (salaries): no {@code NEW_PAYEE_DRAIN}, no {@code
 *       MONEY_MULE}. Deposits stay under 9000.00: no {@code STRUCTURING}.
 *   <li>Every day has activity: no 90-day silence, no {@code DORMANT_ACCOUNT}.
 *   <li>Logins carry the coordinates of the city the user is in (within about 4 km of its centre);
 *       trips leave no activity during the flight, which lasts the distance at 800 km/h plus an
 *       hour: no {@code IMPOSSIBLE_TRAVEL}.
 * </ul>
 *
 * <p>A scenario's events are surrounded by 25 hours without background activity (more than the
 * longest window, 24 h), so scenario and background never combine into a match; a dormant scenario
 * is preceded by its 89 to 200 days of silence, which may start before the log does.
 */
final class UserTimeline {

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** Background-free time on each side of a scenario: more than the longest window. */
    static final long SCENARIO_MARGIN = 25 * HOUR;

    /** The flight speed of background trips; patterns.md flags more than 1000 km/h. */
    private static final double FLIGHT_KMH = 800.0;

    private static final int KIND_RANDOM = 0;
    private static final int KIND_FIRST_SESSION = 1;
    private static final int KIND_SALARY = 2;
    private static final int KIND_RENT = 3;

    private static final String[] MCC = {"5411", "5812", "5814", "5912", "5541", "5311", "5732"};
    private static final EventType[] CREDENTIAL_CHANGES = {
        EventType.PASSWORD_CHANGE,
        EventType.EMAIL_CHANGE,
        EventType.PHONE_CHANGE,
        EventType.MFA_DISABLED
    };

    final int index;
    final String userId;
    final SplittableRandom rng;
    final Geo.City home;
    private final long start;
    private final int days;

    private final String cardId;
    private final long salaryCents;
    private final int payday;
    private final long rentCents;
    private final int rentDay;
    private final int maxActivities;
    private int phoneSerial;
    private int foreignSerial;
    private int payees;
    private int idCounter;

    private int dayIndex;
    private final long[] pendingTimes = new long[8];
    private final int[] pendingKinds = new int[8];
    private int pendingHead;
    private int pendingSize;
    private long nextAllowed = Long.MIN_VALUE;
    private final ArrayDeque<UserEvent> buffer = new ArrayDeque<>(16);

    private Geo.City tripCity;
    private long outboundFrom;
    private long outboundTo;
    private long returnFrom;
    private long returnTo = Long.MIN_VALUE;

    private final Scenario scenario;
    private final long anchor;
    private final long dormantGap;
    private final long skipFrom;
    private final long skipTo;
    private boolean scenarioDone;
    private Label label;

    /** An event of the scenario to re-send (the four-failures duplicate trap), or null. */
    String duplicateEventId;

    private final boolean duplicateTrap;

    /** Arrival time of this user's last emitted event: keeps the user's own order on output. */
    long lastArrival = Long.MIN_VALUE;

    UserTimeline(
            int index,
            String userId,
            long userSeed,
            long start,
            int days,
            Scenario scenario,
            boolean duplicateTrap) {
        this.index = index;
        this.userId = userId;
        this.rng = new SplittableRandom(userSeed);
        this.start = start;
        this.days = days;
        this.home = Geo.HOMES[rng.nextInt(Geo.HOMES.length)];
        this.cardId = "card-" + userId + "-0";
        this.salaryCents = between(150_000, 650_000);
        this.payday = 24 + rng.nextInt(5);
        this.rentCents = between(40_000, 180_000);
        this.rentDay = 1 + rng.nextInt(4);
        this.maxActivities = 2 + rng.nextInt(4);
        this.payees = 1 + rng.nextInt(3);
        this.scenario = scenario;
        this.duplicateTrap = duplicateTrap;
        if (scenario == null) {
            anchor = dormantGap = 0;
            skipFrom = skipTo = Long.MAX_VALUE;
            scenarioDone = true;
        } else {
            anchor = start + 3 * DAY + rng.nextLong((days - 5) * DAY);
            dormantGap = scenario.isDormant() ? Scenarios.dormantGap(this, scenario) : 0;
            long before = scenario.isDormant() ? dormantGap + HOUR : 3 * HOUR;
            skipFrom = anchor - before - SCENARIO_MARGIN;
            skipTo = anchor + 28 * HOUR + SCENARIO_MARGIN;
        }
    }

    /** The label of the scenario, once its events have been generated; null before or if none. */
    Label label() {
        return label;
    }

    Scenario scenario() {
        return scenario;
    }

    /** True while events remain; generates the next activity if needed. */
    boolean hasNext() {
        while (buffer.isEmpty()) {
            if (!refill()) {
                return false;
            }
        }
        return true;
    }

    /** Time of the next event; call only after {@link #hasNext()} returned true. */
    long peekTime() {
        return buffer.peekFirst().timestampMillis();
    }

    UserEvent next() {
        return buffer.pollFirst();
    }

    private boolean refill() {
        if (pendingHead == pendingSize) {
            if (dayIndex >= days) {
                if (!scenarioDone) {
                    emitScenario();
                    return true;
                }
                return false;
            }
            planDay(dayIndex++);
            return true;
        }
        long t = pendingTimes[pendingHead];
        int kind = pendingKinds[pendingHead];
        if (!scenarioDone && t >= skipFrom) {
            emitScenario();
            return true;
        }
        pendingHead++;
        if ((t >= skipFrom && t < skipTo) || t < nextAllowed || inFlight(t)) {
            return true;
        }
        activity(t, kind);
        return true;
    }

    private void emitScenario() {
        Scenarios.Injected injected = Scenarios.build(this, scenario, anchor, dormantGap);
        List<UserEvent> events = injected.events();
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).timestamp().isBefore(events.get(i - 1).timestamp())) {
                throw new IllegalStateException("scenario " + scenario + " is out of order");
            }
        }
        buffer.addAll(events);
        label = injected.label();
        if (duplicateTrap && injected.trapEventId() != null) {
            duplicateEventId = injected.trapEventId();
        }
        scenarioDone = true;
        nextAllowed = Math.max(nextAllowed, skipTo);
    }

    // ---------------------------------------------------------------- background

    private void planDay(int day) {
        long day0 = start + day * DAY;
        maybeStartTrip(day0);
        pendingHead = 0;
        pendingSize = 0;
        int n = 1 + rng.nextInt(maxActivities);
        for (int i = 0; i < n; i++) {
            addPending(day0 + 6 * HOUR + rng.nextLong(17 * HOUR + 30 * MINUTE), KIND_RANDOM);
        }
        int dayOfMonth = LocalDate.ofEpochDay(Math.floorDiv(day0, DAY)).getDayOfMonth();
        if (dayOfMonth == payday) {
            addPending(day0 + 6 * HOUR + rng.nextLong(30 * MINUTE), KIND_SALARY);
        }
        if (dayOfMonth == rentDay) {
            addPending(day0 + 5 * HOUR + rng.nextLong(30 * MINUTE), KIND_RENT);
        }
        if (day == 0) {
            // A first login early on: every later login has a history to compare devices with.
            addPending(day0 + 5 * HOUR + rng.nextLong(50 * MINUTE), KIND_FIRST_SESSION);
        }
    }

    private void addPending(long time, int kind) {
        int i = pendingSize++;
        while (i > 0 && pendingTimes[i - 1] > time) {
            pendingTimes[i] = pendingTimes[i - 1];
            pendingKinds[i] = pendingKinds[i - 1];
            i--;
        }
        pendingTimes[i] = time;
        pendingKinds[i] = kind;
    }

    private void maybeStartTrip(long day0) {
        if (day0 < returnTo || rng.nextInt(60) != 0) {
            return;
        }
        Geo.City dest =
                rng.nextInt(3) == 0
                        ? Geo.ABROAD[rng.nextInt(Geo.ABROAD.length)]
                        : Geo.HOMES[rng.nextInt(Geo.HOMES.length)];
        if (dest == home) {
            return;
        }
        double km = Geo.distanceKm(home.lat(), home.lon(), dest.lat(), dest.lon());
        long flight = (long) Math.ceil(km / FLIGHT_KMH * HOUR) + HOUR;
        long depart = day0 + 8 * HOUR + rng.nextLong(12 * HOUR);
        long arrive = depart + flight;
        long leave = arrive + (2 + rng.nextInt(5)) * DAY;
        long back = leave + flight;
        if (scenario != null && back + DAY > skipFrom - DAY && depart < skipTo + DAY) {
            return; // no trip near a scenario
        }
        tripCity = dest;
        outboundFrom = depart;
        outboundTo = arrive;
        returnFrom = leave;
        returnTo = back;
    }

    private boolean inFlight(long t) {
        return tripCity != null
                && ((t >= outboundFrom && t < outboundTo) || (t >= returnFrom && t < returnTo));
    }

    private Geo.City cityAt(long t) {
        return tripCity != null && t >= outboundTo && t < returnFrom ? tripCity : home;
    }

    private void activity(long t, int kind) {
        long last;
        switch (kind) {
            case KIND_FIRST_SESSION:
                last = session(t, true);
                break;
            case KIND_SALARY:
                buffer.add(
                        event(EventType.TRANSFER_IN, t)
                                .amountCents(salaryCents + between(0, 5_000))
                                .currency(home.currency())
                                .counterpartyId("employer-" + (index % 97))
                                .build());
                // MONEY_MULE watches outflows for 2 h after an incoming 2000.00.
                nextAllowed = t + 2 * HOUR + 5 * MINUTE;
                return;
            case KIND_RENT:
                buffer.add(transferOut(t, rentCents, payee(0)));
                last = t;
                break;
            default:
                last = randomActivity(t);
                break;
        }
        nextAllowed = last + HOUR;
    }

    private long randomActivity(long t) {
        int r = rng.nextInt(100);
        if (r < 33) {
            return session(t, false);
        }
        Geo.City city = cityAt(t);
        if (r < 78) {
            buffer.add(cardPayment(t, city, backgroundCardCents()));
        } else if (r < 85) {
            buffer.add(
                    event(EventType.WITHDRAWAL, t)
                            .amountCents(between(2, 40) * 1_000)
                            .currency(home.currency())
                            .country(city.country())
                            .build());
        } else if (r < 90) {
            buffer.add(
                    event(EventType.TRANSFER_IN, t)
                            .amountCents(between(500, 30_000))
                            .currency(home.currency())
                            .counterpartyId("friend-" + rng.nextInt(500))
                            .build());
        } else if (r < 93) {
            buffer.add(
                    event(EventType.DEPOSIT, t)
                            .amountCents(between(2_000, 300_000))
                            .currency(home.currency())
                            .build());
        } else {
            buffer.add(
                    event(EventType.TRANSFER_OUT, t)
                            .amountCents(between(2_000, 25_000))
                            .currency(home.currency())
                            .counterpartyId("utility-" + rng.nextInt(40))
                            .build());
        }
        return t;
    }

    private long backgroundCardCents() {
        int r = rng.nextInt(1000);
        if (r < 120) {
            return between(50, 499); // coffee: under 5.00, but never three within 15 minutes
        }
        if (r < 985) {
            return 500 + (long) (Math.exp(rng.nextDouble() * Math.log(30)) * 500 - 500);
        }
        return between(50_000, 150_000); // a large purchase, alone in its hour
    }

    /** An app session; returns the time of its last event. */
    private long session(long t, boolean first) {
        Geo.City city = cityAt(t);
        boolean newPhone = !first && rng.nextInt(400) == 0;
        if (newPhone) {
            phoneSerial++;
        }
        boolean laptop = !first && !newPhone && rng.nextInt(5) == 0;
        String device = laptop ? "d-" + userId + "-w0" : phoneId();
        double[] coords = laptop ? null : jitter(city);
        long time = t;
        int failures = first ? 0 : failuresDrawn();
        for (int i = 0; i < failures; i++) {
            buffer.add(login(EventType.LOGIN_FAILURE, time, device, coords, city, laptop));
            time += between(8 * SECOND, 40 * SECOND);
        }
        buffer.add(login(EventType.LOGIN_SUCCESS, time, device, coords, city, laptop));
        if (newPhone) {
            time += between(20 * SECOND, 2 * MINUTE);
            buffer.add(event(EventType.DEVICE_REGISTERED, time).deviceId(device).build());
        }
        if (first) {
            return time;
        }
        int r = rng.nextInt(100);
        if (r < 45) {
            return time;
        }
        if (r < 78 || newPhone) {
            int transfers = 1 + rng.nextInt(2);
            for (int i = 0; i < transfers; i++) {
                time += between(20 * SECOND, 3 * MINUTE);
                buffer.add(transferOut(time, between(1_000, 250_000), payee(rng.nextInt(payees))));
            }
            return time;
        }
        time += between(20 * SECOND, 3 * MINUTE);
        if (r < 88) {
            buffer.add(event(EventType.PAYEE_ADDED, time).payeeId(newPayee()).build());
        } else if (r < 93) {
            // A security session: nothing else, in particular no transfer.
            EventType change = CREDENTIAL_CHANGES[rng.nextInt(10) == 0 ? 3 : rng.nextInt(3)];
            buffer.add(event(change, time).build());
        } else if (r < 97) {
            buffer.add(event(EventType.ADDRESS_CHANGE, time).build());
        } else {
            buffer.add(event(EventType.DEVICE_REGISTERED, time).deviceId(device).build());
        }
        return time;
    }

    private int failuresDrawn() {
        int r = rng.nextInt(100);
        return r < 88 ? 0 : r < 97 ? 1 : 2;
    }

    // ---------------------------------------------------------------- helpers for scenarios

    String nextEventId() {
        idCounter++;
        String n = Integer.toString(idCounter);
        StringBuilder sb = new StringBuilder(userId.length() + 8).append(userId).append("-e");
        for (int i = n.length(); i < 5; i++) {
            sb.append('0');
        }
        return sb.append(n).toString();
    }

    UserEvent.Builder event(EventType type, long time) {
        return UserEvent.builder(nextEventId(), userId, type, Instant.ofEpochMilli(time));
    }

    UserEvent login(
            EventType type, long time, String device, double[] coords, Geo.City city, boolean web) {
        UserEvent.Builder b =
                event(type, time)
                        .deviceId(device)
                        .ip(ipOf(device))
                        .country(city.country())
                        .channel(web ? "web" : "mobile");
        if (coords != null) {
            b.coordinates(coords[0], coords[1]);
        }
        return b.build();
    }

    /** A login from a device and place the user never used, without coordinates (web). */
    UserEvent foreignLogin(EventType type, long time, String device) {
        return event(type, time)
                .deviceId(device)
                .ip("198.51.100." + (1 + Math.floorMod(device.hashCode(), 254)))
                .channel("web")
                .build();
    }

    UserEvent transferOut(long time, long cents, String counterparty) {
        return event(EventType.TRANSFER_OUT, time)
                .amountCents(cents)
                .currency(home.currency())
                .counterpartyId(counterparty)
                .build();
    }

    UserEvent cardPayment(long time, Geo.City city, long cents) {
        return event(EventType.CARD_PAYMENT, time)
                .amountCents(cents)
                .currency(home.currency())
                .cardId(cardId)
                .merchantId("m-" + rng.nextInt(5_000))
                .mcc(MCC[rng.nextInt(MCC.length)])
                .country(city.country())
                .build();
    }

    String phoneId() {
        return "d-" + userId + "-" + phoneSerial;
    }

    /** A device id this user has never used. */
    String newForeignDevice() {
        return "d-" + userId + "-x" + (foreignSerial++);
    }

    /** One of the payees the user had before the log starts (never added in the log). */
    String payee(int i) {
        return "p-" + userId + "-" + i;
    }

    String newPayee() {
        return "p-" + userId + "-" + (payees++);
    }

    /** Home coordinates as a login writes them: within about 4 km of the centre. */
    double[] jitter(Geo.City city) {
        return new double[] {
            Geo.round4(city.lat() + (rng.nextDouble() - 0.5) * 0.06),
            Geo.round4(city.lon() + (rng.nextDouble() - 0.5) * 0.06)
        };
    }

    private String ipOf(String device) {
        return "203.0.113." + (1 + Math.floorMod(device.hashCode(), 254));
    }

    /** Uniform in [lo, hi]. */
    long between(long lo, long hi) {
        return lo + rng.nextLong(hi - lo + 1);
    }
}
