package io.fraudcep.sampledata;

import static io.fraudcep.sampledata.UserTimeline.DAY;
import static io.fraudcep.sampledata.UserTimeline.HOUR;
import static io.fraudcep.sampledata.UserTimeline.MINUTE;
import static io.fraudcep.sampledata.UserTimeline.SECOND;

import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import io.fraudcep.model.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the events of one injected {@link Scenario} on a user's timeline, and its label.
 *
 * <p>Each builder follows patterns.md literally: "less than W apart" is met with a span drawn in [a
 * few seconds, W - 1 ms] (exactly W - 1 ms for boundary positives) and missed with exactly W;
 * amount thresholds are met with the threshold itself or more and missed by one cent. Events of one
 * scenario have distinct times, except the two logins of {@code same-instant} travel, which are
 * written in order. Scenarios add nothing that could fire another pattern: no payee is added before
 * a large transfer except in {@code NEW_PAYEE_DRAIN}, no credential change except in {@code
 * ACCOUNT_TAKEOVER}, at most 9 outgoing transactions except in {@code VELOCITY}. The example rules'
 * scenarios keep to this (at most 4 failed logins in {@code CREDENTIAL_STUFFING}, no transfer after
 * a new-device login), except that a {@code MULE_THIN_FILE} positive is a {@code MONEY_MULE} one.
 */
final class Scenarios {

    /** The events of a scenario in time order, its label, and an event to re-send or null. */
    record Injected(List<UserEvent> events, Label label, String trapEventId) {}

    private static final EventType[] CREDENTIAL_CHANGES = {
        EventType.PASSWORD_CHANGE,
        EventType.EMAIL_CHANGE,
        EventType.PHONE_CHANGE,
        EventType.MFA_DISABLED
    };

    private Scenarios() {}

    /** Silence before a new account's first event: longer than any log, so it has no history. */
    static final long NEW_ACCOUNT_SILENCE = (GeneratorOptions.MAX_DAYS + 2) * DAY;

    /**
     * The silence before a dormant scenario's login, or before a new account's first event (drawn
     * when the user is planned).
     */
    static long dormantGap(UserTimeline u, Scenario s) {
        switch (s) {
            case MULE_THIN_FILE_TYPICAL:
            case MULE_THIN_FILE_BOUNDARY:
                return NEW_ACCOUNT_SILENCE;
            case DORMANT_BOUNDARY:
                return 90 * DAY;
            case DORMANT_89_DAYS:
                return u.rng.nextInt(3) == 0 ? 90 * DAY - 1 : u.between(89 * DAY, 90 * DAY - 1);
            default:
                return u.rng.nextInt(4) == 0 ? 90 * DAY : u.between(90 * DAY, 200 * DAY);
        }
    }

    /** Builds scenario {@code s} of user {@code u} around {@code t}. */
    static Injected build(UserTimeline u, Scenario s, long t, long dormantGap) {
        Draft d = new Draft(u, s);
        switch (s.patternId()) {
            case "BRUTE_FORCE_LOGIN":
                bruteForce(d, t);
                break;
            case "ACCOUNT_TAKEOVER":
                accountTakeover(d, t);
                break;
            case "CARD_TESTING":
                cardTesting(d, t);
                break;
            case "IMPOSSIBLE_TRAVEL":
                impossibleTravel(d, t);
                break;
            case "VELOCITY":
                velocity(d, t);
                break;
            case "STRUCTURING":
                structuring(d, t);
                break;
            case "MONEY_MULE":
                moneyMule(d, t);
                break;
            case "DORMANT_ACCOUNT":
                dormant(d, t, dormantGap);
                break;
            case "NEW_PAYEE_DRAIN":
                newPayeeDrain(d, t);
                break;
            case "CREDENTIAL_STUFFING":
                credentialStuffing(d, t);
                break;
            case "UNREMEDIATED_TAKEOVER":
                unremediatedTakeover(d, t);
                break;
            case "MULE_THIN_FILE":
                muleThinFile(d, t);
                break;
            case "NEW_DEVICE_PAYEE":
                newDevicePayee(d, t);
                break;
            default:
                throw new IllegalStateException("no builder for " + s);
        }
        return d.done();
    }

    private static void bruteForce(Draft d, long t) {
        UserTimeline u = d.u;
        int failures;
        long span;
        switch (d.s) {
            case BRUTE_FORCE_TYPICAL:
                failures = 5 + u.rng.nextInt(8);
                span = u.between(failures * 15 * SECOND, 10 * MINUTE - 1);
                break;
            case BRUTE_FORCE_BOUNDARY:
                failures = 5;
                span = 10 * MINUTE - 1;
                break;
            case BRUTE_FORCE_FOUR_FAILURES:
                failures = 4;
                span = u.between(failures * 15 * SECOND, 10 * MINUTE - 1);
                break;
            default: // five failures, the first exactly 10 minutes before the success
                failures = 5;
                span = 10 * MINUTE;
                break;
        }
        String device = u.newForeignDevice();
        long[] times = increasing(u, t, t + span, failures + 1);
        for (int i = 0; i < failures; i++) {
            UserEvent f = d.add(u.foreignLogin(EventType.LOGIN_FAILURE, times[i], device));
            if (i == 0) {
                d.first = f;
            }
        }
        d.last = d.add(u.foreignLogin(EventType.LOGIN_SUCCESS, times[failures], device));
        if (d.s == Scenario.BRUTE_FORCE_FOUR_FAILURES) {
            // Re-sending one failure makes five records: a pipeline must count it once.
            d.trap = d.events.get(1).eventId();
        }
        d.param("failures", failures).param("spanMillis", span).param("deviceId", device);
    }

    private static void accountTakeover(Draft d, long t) {
        UserTimeline u = d.u;
        // A login on the usual phone shortly before: the takeover's device is new against it.
        d.add(
                u.login(
                        EventType.LOGIN_SUCCESS,
                        t - 3 * HOUR,
                        u.phoneId(),
                        u.jitter(u.home),
                        u.home,
                        false));
        boolean known = d.s == Scenario.ACCOUNT_TAKEOVER_KNOWN_DEVICE;
        String device = known ? u.phoneId() : u.newForeignDevice();
        d.first =
                d.add(
                        known
                                ? u.login(
                                        EventType.LOGIN_SUCCESS,
                                        t,
                                        device,
                                        u.jitter(u.home),
                                        u.home,
                                        false)
                                : u.foreignLogin(EventType.LOGIN_SUCCESS, t, device));
        long changeAt = t + u.between(30 * SECOND, 8 * MINUTE);
        EventType change;
        if (d.s == Scenario.ACCOUNT_TAKEOVER_NO_CREDENTIAL_CHANGE) {
            change = u.rng.nextBoolean() ? EventType.ADDRESS_CHANGE : EventType.DEVICE_REGISTERED;
        } else {
            change = CREDENTIAL_CHANGES[u.rng.nextInt(CREDENTIAL_CHANGES.length)];
        }
        UserEvent.Builder c = u.event(change, changeAt);
        if (change == EventType.DEVICE_REGISTERED) {
            c.deviceId(device);
        }
        d.add(c.build());
        long transferAt;
        long cents = u.rng.nextInt(5) == 0 ? 100_000 : u.between(100_000, 2_500_000);
        switch (d.s) {
            case ACCOUNT_TAKEOVER_BOUNDARY:
                transferAt = t + 30 * MINUTE - 1;
                cents = 100_000;
                break;
            case ACCOUNT_TAKEOVER_AT_30_MIN:
                transferAt = t + 30 * MINUTE;
                break;
            default:
                transferAt = u.between(changeAt + 20 * SECOND, t + 30 * MINUTE - 1);
                break;
        }
        if (d.s == Scenario.ACCOUNT_TAKEOVER_999_99) {
            cents = 99_999;
        }
        d.last = d.add(u.transferOut(transferAt, cents, "acct-x" + u.rng.nextInt(1_000_000)));
        d.param("deviceId", device)
                .param("change", change.name())
                .param("loginToTransferMillis", transferAt - t)
                .param("amount", Money.toDecimal(cents));
    }

    private static void cardTesting(Draft d, long t) {
        UserTimeline u = d.u;
        int smalls;
        long span;
        long large = u.rng.nextInt(5) == 0 ? 50_000 : u.between(50_000, 300_000);
        switch (d.s) {
            case CARD_TESTING_TYPICAL:
                smalls = 3 + u.rng.nextInt(6);
                span = u.between(smalls * 20 * SECOND, 15 * MINUTE - 1);
                break;
            case CARD_TESTING_BOUNDARY:
                smalls = 3;
                span = 15 * MINUTE - 1;
                large = 50_000;
                break;
            case CARD_TESTING_TWO_SMALL:
                smalls = 2;
                span = u.between(MINUTE, 15 * MINUTE - 1);
                break;
            case CARD_TESTING_SMALL_AT_5:
                smalls = 3;
                span = u.between(MINUTE, 15 * MINUTE - 1);
                break;
            case CARD_TESTING_LARGE_499_99:
                smalls = 3 + u.rng.nextInt(3);
                span = u.between(MINUTE, 15 * MINUTE - 1);
                large = 49_999;
                break;
            default: // three small payments, the first exactly 15 minutes before the large one
                smalls = 3;
                span = 15 * MINUTE;
                break;
        }
        int atFive = d.s == Scenario.CARD_TESTING_SMALL_AT_5 ? u.rng.nextInt(smalls) : -1;
        long[] times = increasing(u, t, t + span, smalls + 1);
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < smalls; i++) {
            long cents = i == atFive ? 500 : u.between(1, 499);
            if (d.s == Scenario.CARD_TESTING_BOUNDARY) {
                cents = 499;
            }
            smallest = Math.min(smallest, cents);
            UserEvent p = d.add(u.cardPayment(times[i], u.home, cents));
            if (i == 0) {
                d.first = p;
            }
        }
        d.last = d.add(u.cardPayment(times[smalls], u.home, large));
        d.param("smallPayments", smalls)
                .param("spanMillis", span)
                .param("largeAmount", Money.toDecimal(large));
    }

    private static void impossibleTravel(Draft d, long t) {
        UserTimeline u = d.u;
        double[] a = u.jitter(u.home);
        d.first = d.add(u.login(EventType.LOGIN_SUCCESS, t, u.phoneId(), a, u.home, false));
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1_000) {
                throw new IllegalStateException("no destination found for " + d.s);
            }
            double target;
            switch (d.s) {
                case IMPOSSIBLE_TRAVEL_TYPICAL:
                    target = 500.5 + u.rng.nextDouble() * 11_500.0;
                    break;
                case IMPOSSIBLE_TRAVEL_BOUNDARY:
                    target = 500.2;
                    break;
                case IMPOSSIBLE_TRAVEL_SAME_INSTANT:
                    target = 500.5 + u.rng.nextDouble() * 2_500.0;
                    break;
                case IMPOSSIBLE_TRAVEL_499_KM:
                    target = 499.0;
                    break;
                case IMPOSSIBLE_TRAVEL_999_KMH:
                    target = 600.0 + u.rng.nextDouble() * 4_400.0;
                    break;
                default: // 6 hours apart, much faster than 1000 km/h
                    target = 6_500.0 + u.rng.nextDouble() * 8_500.0;
                    break;
            }
            double[] b = Geo.destination(a[0], a[1], u.rng.nextDouble() * 360.0, target);
            if (b == null) {
                continue;
            }
            double km = Geo.distanceKm(a[0], a[1], b[0], b[1]);
            // km / 1000 km/h in milliseconds
            double atThousandKmh = km * 3_600.0;
            long gap;
            switch (d.s) {
                case IMPOSSIBLE_TRAVEL_TYPICAL:
                    long max =
                            Math.min(6 * HOUR - SECOND, (long) Math.floor(atThousandKmh) - SECOND);
                    if (km < 500.01) {
                        continue;
                    }
                    gap = u.between(Math.min(MINUTE, max / 2), max);
                    break;
                case IMPOSSIBLE_TRAVEL_BOUNDARY:
                    if (km < 500.0001 || km >= 500.5) {
                        continue;
                    }
                    gap = (long) Math.floor(atThousandKmh) - 50;
                    break;
                case IMPOSSIBLE_TRAVEL_SAME_INSTANT:
                    if (km < 500.01) {
                        continue;
                    }
                    gap = 0;
                    break;
                case IMPOSSIBLE_TRAVEL_499_KM:
                    if (km >= 499.5 || km < 498.0) {
                        continue;
                    }
                    gap = u.between(MINUTE, 20 * MINUTE);
                    break;
                case IMPOSSIBLE_TRAVEL_999_KMH:
                    gap = (long) Math.ceil(km * 3_600_000.0 / 999.0);
                    if (km / (gap / 3_600_000.0) > 999.0 || gap >= 6 * HOUR) {
                        continue;
                    }
                    break;
                default:
                    gap = 6 * HOUR;
                    if (km / 6.0 <= 1_001.0) {
                        continue;
                    }
                    break;
            }
            d.last =
                    d.add(
                            u.event(EventType.LOGIN_SUCCESS, t + gap)
                                    .deviceId(u.phoneId())
                                    .ip("198.51.100." + (1 + u.rng.nextInt(254)))
                                    .coordinates(b[0], b[1])
                                    .channel("mobile")
                                    .build());
            d.param("distanceKm", Math.round(km * 1000.0) / 1000.0).param("gapMillis", gap);
            if (gap > 0) {
                d.param("speedKmh", Math.round(km / (gap / 3_600_000.0) * 10.0) / 10.0);
            }
            return;
        }
    }

    private static void velocity(Draft d, long t) {
        UserTimeline u = d.u;
        int n;
        long span;
        switch (d.s) {
            case VELOCITY_TYPICAL:
                n = 10 + u.rng.nextInt(6);
                span = u.between(MINUTE, 5 * MINUTE - 1);
                break;
            case VELOCITY_BOUNDARY:
                n = 10;
                span = 5 * MINUTE - 1;
                break;
            case VELOCITY_NINE:
                n = 9;
                span = u.between(MINUTE, 5 * MINUTE - 1);
                break;
            case VELOCITY_AT_5_MIN:
                n = 10;
                span = 5 * MINUTE;
                break;
            default: // ten transactions in less than 5 minutes, one of them incoming
                n = 10;
                span = u.between(MINUTE, 5 * MINUTE - 1);
                break;
        }
        int incoming = d.s == Scenario.VELOCITY_ONE_INCOMING ? 1 + u.rng.nextInt(8) : -1;
        int core = Math.min(n, 10);
        long[] times = increasing(u, t, t + span, core);
        long time = times[core - 1];
        for (int i = 0; i < n; i++) {
            if (i >= core) {
                time += u.between(3 * SECOND, 10 * SECOND);
            }
            long at = i < core ? times[i] : time;
            UserEvent e;
            if (i == incoming) {
                e =
                        u.rng.nextBoolean()
                                ? u.event(EventType.TRANSFER_IN, at)
                                        .amountCents(u.between(2_000, 50_000))
                                        .currency(u.home.currency())
                                        .counterpartyId("friend-" + u.rng.nextInt(500))
                                        .build()
                                : u.event(EventType.DEPOSIT, at)
                                        .amountCents(u.between(2_000, 50_000))
                                        .currency(u.home.currency())
                                        .build();
            } else {
                e = outgoing(u, at);
            }
            d.add(e);
            if (i == 0) {
                d.first = e;
            }
            if (i == core - 1) {
                d.last = e;
            }
        }
        d.param("transactions", n).param("spanMillis", span);
    }

    private static UserEvent outgoing(UserTimeline u, long at) {
        switch (u.rng.nextInt(3)) {
            case 0:
                return u.cardPayment(at, u.home, u.between(500, 15_000));
            case 1:
                return u.transferOut(at, u.between(1_000, 40_000), u.payee(0));
            default:
                return u.event(EventType.WITHDRAWAL, at)
                        .amountCents(u.between(2, 20) * 1_000)
                        .currency(u.home.currency())
                        .build();
        }
    }

    private static void structuring(Draft d, long t) {
        UserTimeline u = d.u;
        int k = 3;
        long span = u.between(10 * MINUTE, 24 * HOUR - 1);
        long[] cents = new long[5];
        for (int i = 0; i < cents.length; i++) {
            int r = u.rng.nextInt(6);
            cents[i] = r == 0 ? 900_000 : r == 1 ? 999_999 : u.between(900_000, 999_999);
        }
        switch (d.s) {
            case STRUCTURING_TYPICAL:
                k = 3 + u.rng.nextInt(3);
                break;
            case STRUCTURING_BOUNDARY:
                span = 24 * HOUR - 1;
                cents[0] = 900_000;
                cents[1] = 999_999;
                cents[2] = 900_000;
                break;
            case STRUCTURING_8999_99:
                cents[u.rng.nextInt(3)] = 899_999;
                break;
            case STRUCTURING_10000:
                cents[u.rng.nextInt(3)] = 1_000_000;
                break;
            default: // the third exactly 24 hours after the first
                span = 24 * HOUR;
                break;
        }
        long[] times = increasing(u, t, t + span, 3);
        long time = times[2];
        for (int i = 0; i < k; i++) {
            if (i >= 3) {
                time += u.between(5 * MINUTE, 40 * MINUTE);
            }
            UserEvent e =
                    d.add(
                            u.event(EventType.DEPOSIT, i < 3 ? times[i] : time)
                                    .amountCents(cents[i])
                                    .currency(u.home.currency())
                                    .build());
            if (i == 0) {
                d.first = e;
            }
            if (i == 2) {
                d.last = e;
            }
        }
        d.param("deposits", k).param("spanMillis", span);
    }

    private static void moneyMule(Draft d, long t) {
        UserTimeline u = d.u;
        long in = u.rng.nextInt(5) == 0 ? 200_000 : u.between(200_000, 4_000_000);
        int outflows = 1 + u.rng.nextInt(4);
        long loginAt = t + u.between(2 * MINUTE, 10 * MINUTE);
        long crossAt = u.between(loginAt + outflows * 30 * SECOND + MINUTE, t + 2 * HOUR - 1);
        long total = ceilDiv(in * u.between(8_000, 10_000), 10_000);
        switch (d.s) {
            case MONEY_MULE_BOUNDARY:
            case MULE_THIN_FILE_BOUNDARY:
                in = 200_000;
                total = 160_000;
                crossAt = t + 2 * HOUR - 1;
                break;
            case MONEY_MULE_79_PERCENT:
                total = in * u.between(7_500, 7_999) / 10_000;
                break;
            case MONEY_MULE_AT_2_HOURS:
                crossAt = t + 2 * HOUR;
                break;
            case MONEY_MULE_1999_99:
                in = 199_999;
                total = in;
                break;
            default:
                break;
        }
        boolean reaches = total * 5 >= in * 4;
        if (reaches != (d.s != Scenario.MONEY_MULE_79_PERCENT)) {
            throw new IllegalStateException("mule total " + total + " of " + in + " for " + d.s);
        }
        d.first =
                d.add(
                        u.event(EventType.TRANSFER_IN, t)
                                .amountCents(in)
                                .currency(u.home.currency())
                                .counterpartyId("acct-x" + u.rng.nextInt(1_000_000))
                                .build());
        d.add(
                u.login(
                        EventType.LOGIN_SUCCESS,
                        loginAt,
                        u.phoneId(),
                        u.jitter(u.home),
                        u.home,
                        false));
        // The outflows before the last stay under 80% of the incoming amount.
        long before = 0;
        if (outflows > 1) {
            long cap = Math.min(total - 1, Math.floorDiv(in * 4 - 1, 5));
            before = u.between(outflows - 1, cap);
        }
        long[] parts = split(u, before, outflows - 1);
        long[] times =
                outflows == 1
                        ? new long[] {crossAt}
                        : increasing(u, loginAt + 30 * SECOND, crossAt, outflows);
        for (int i = 0; i < outflows; i++) {
            long cents = i < outflows - 1 ? parts[i] : total - before;
            UserEvent e =
                    u.rng.nextBoolean()
                            ? u.transferOut(times[i], cents, "acct-x" + u.rng.nextInt(1_000_000))
                            : u.event(EventType.WITHDRAWAL, times[i])
                                    .amountCents(cents)
                                    .currency(u.home.currency())
                                    .build();
            d.last = d.add(e);
        }
        d.param("incoming", Money.toDecimal(in))
                .param("passedThrough", Money.toDecimal(total))
                .param("outflows", outflows)
                .param("reachedAfterMillis", crossAt - t);
    }

    private static void dormant(Draft d, long t, long gap) {
        UserTimeline u = d.u;
        long lastSeen = t - gap;
        d.add(
                u.login(
                        EventType.LOGIN_SUCCESS,
                        lastSeen - 30 * MINUTE,
                        u.phoneId(),
                        u.jitter(u.home),
                        u.home,
                        false));
        d.add(u.cardPayment(lastSeen, u.home, u.between(500, 8_000)));
        d.first =
                d.add(
                        u.login(
                                EventType.LOGIN_SUCCESS,
                                t,
                                u.phoneId(),
                                u.jitter(u.home),
                                u.home,
                                false));
        if (u.rng.nextBoolean()) {
            d.add(u.cardPayment(t + u.between(MINUTE, 3 * MINUTE), u.home, u.between(500, 5_000)));
        }
        long at = u.between(t + 5 * MINUTE, t + HOUR - 1);
        long cents = u.rng.nextInt(5) == 0 ? 100_000 : u.between(100_000, 2_000_000);
        switch (d.s) {
            case DORMANT_BOUNDARY:
                at = t + HOUR - 1;
                cents = 100_000;
                break;
            case DORMANT_AT_1_HOUR:
                at = t + HOUR;
                break;
            case DORMANT_999_99:
                cents = 99_999;
                break;
            default:
                break;
        }
        d.last =
                d.add(
                        u.rng.nextBoolean() || d.s == Scenario.DORMANT_BOUNDARY
                                ? u.transferOut(at, cents, u.payee(0))
                                : u.event(EventType.WITHDRAWAL, at)
                                        .amountCents(cents)
                                        .currency(u.home.currency())
                                        .build());
        d.param("silentMillis", gap)
                .param("loginToOutflowMillis", at - t)
                .param("amount", Money.toDecimal(cents));
    }

    private static void newPayeeDrain(Draft d, long t) {
        UserTimeline u = d.u;
        d.add(u.login(EventType.LOGIN_SUCCESS, t, u.phoneId(), u.jitter(u.home), u.home, false));
        long addedAt = t + u.between(30 * SECOND, 5 * MINUTE);
        String payee = u.newPayee();
        d.first = d.add(u.event(EventType.PAYEE_ADDED, addedAt).payeeId(payee).build());
        long at = u.between(addedAt + 20 * SECOND, addedAt + 10 * MINUTE - 1);
        long cents = u.rng.nextInt(5) == 0 ? 500_000 : u.between(500_000, 3_000_000);
        String to = payee;
        switch (d.s) {
            case NEW_PAYEE_DRAIN_BOUNDARY:
                at = addedAt + 10 * MINUTE - 1;
                cents = 500_000;
                break;
            case NEW_PAYEE_DRAIN_AT_10_MIN:
                at = addedAt + 10 * MINUTE;
                break;
            case NEW_PAYEE_DRAIN_4999_99:
                cents = 499_999;
                break;
            case NEW_PAYEE_DRAIN_OTHER_PAYEE:
                to = u.payee(0);
                break;
            default:
                break;
        }
        d.last = d.add(u.transferOut(at, cents, to));
        d.param("payeeId", payee)
                .param("counterpartyId", to)
                .param("addedToTransferMillis", at - addedAt)
                .param("amount", Money.toDecimal(cents));
    }

    // ---------------------------------------------------------------- example rules of rules.md

    private static void credentialStuffing(Draft d, long t) {
        UserTimeline u = d.u;
        int failures;
        int devices;
        long span;
        if (d.s == Scenario.CREDENTIAL_STUFFING_BOUNDARY) {
            failures = 3;
            devices = 3;
            span = 10 * MINUTE - 1;
        } else {
            // At most 4: five failures would be a BRUTE_FORCE_LOGIN too.
            failures = 3 + u.rng.nextInt(2);
            devices = 3 + u.rng.nextInt(failures - 2);
            span = u.between(failures * 15 * SECOND, 10 * MINUTE - 1);
        }
        String[] ids = new String[devices];
        for (int i = 0; i < devices; i++) {
            ids[i] = u.newForeignDevice();
        }
        long[] times = increasing(u, t, t + span, failures + 1);
        for (int i = 0; i < failures; i++) {
            String device = i < devices ? ids[i] : ids[u.rng.nextInt(devices)];
            UserEvent f = d.add(u.foreignLogin(EventType.LOGIN_FAILURE, times[i], device));
            if (i == 0) {
                d.first = f;
            }
        }
        String device = ids[u.rng.nextInt(devices)];
        d.last = d.add(u.foreignLogin(EventType.LOGIN_SUCCESS, times[failures], device));
        d.param("failures", failures).param("devices", devices).param("spanMillis", span);
    }

    private static void unremediatedTakeover(Draft d, long t) {
        UserTimeline u = d.u;
        boolean boundary = d.s == Scenario.UNREMEDIATED_TAKEOVER_BOUNDARY;
        d.add(
                u.login(
                        EventType.LOGIN_SUCCESS,
                        t - 3 * HOUR,
                        u.phoneId(),
                        u.jitter(u.home),
                        u.home,
                        false));
        String device = u.newForeignDevice();
        d.first = d.add(u.foreignLogin(EventType.LOGIN_SUCCESS, t, device));
        long mfaOffAt = boundary ? t + HOUR - 1 : t + u.between(30 * SECOND, 50 * MINUTE);
        d.last = d.add(u.event(EventType.MFA_DISABLED, mfaOffAt).build());
        // The rule fires at the deadline; the owner's phone comes back only after it.
        long deadline = mfaOffAt + HOUR;
        long back = boundary ? deadline + 1 : u.between(deadline + MINUTE, deadline + 3 * HOUR);
        d.add(u.login(EventType.LOGIN_SUCCESS, back, u.phoneId(), u.jitter(u.home), u.home, false));
        d.detectedAt = deadline;
        d.param("deviceId", device)
                .param("loginToMfaOffMillis", mfaOffAt - t)
                .param("ownerBackAfterMillis", back - mfaOffAt);
    }

    /** A new account's first events (the phone's login first), then a MONEY_MULE. */
    private static void muleThinFile(Draft d, long t) {
        UserTimeline u = d.u;
        int prior = d.s == Scenario.MULE_THIN_FILE_BOUNDARY ? 9 : u.rng.nextInt(10);
        if (prior > 0) {
            // At least ~10 min apart and done 10 min before the transfer in: no VELOCITY.
            long[] times = spaced(u, t - 3 * HOUR, t - 10 * MINUTE, prior);
            for (int i = 0; i < prior; i++) {
                d.add(
                        i == 0 || u.rng.nextInt(4) == 0
                                ? u.login(
                                        EventType.LOGIN_SUCCESS,
                                        times[i],
                                        u.phoneId(),
                                        u.jitter(u.home),
                                        u.home,
                                        false)
                                : u.cardPayment(times[i], u.home, u.between(500, 8_000)));
            }
        }
        d.param("priorEvents", prior);
        moneyMule(d, t);
    }

    private static void newDevicePayee(Draft d, long t) {
        UserTimeline u = d.u;
        d.add(
                u.login(
                        EventType.LOGIN_SUCCESS,
                        t - 3 * HOUR,
                        u.phoneId(),
                        u.jitter(u.home),
                        u.home,
                        false));
        String device = u.newForeignDevice();
        d.first = d.add(u.foreignLogin(EventType.LOGIN_SUCCESS, t, device));
        long at =
                d.s == Scenario.NEW_DEVICE_PAYEE_BOUNDARY
                        ? t + 5 * MINUTE - 1
                        : t + u.between(20 * SECOND, 4 * MINUTE);
        String payee = u.newPayee();
        d.last = d.add(u.event(EventType.PAYEE_ADDED, at).payeeId(payee).build());
        d.param("deviceId", device).param("payeeId", payee).param("loginToPayeeMillis", at - t);
    }

    // ---------------------------------------------------------------- helpers

    /** n strictly increasing times from {@code first} to {@code last}, inner ones random. */
    static long[] increasing(UserTimeline u, long first, long last, int n) {
        if (last - first < n) {
            throw new IllegalArgumentException("no room for " + n + " times");
        }
        long[] t = new long[n];
        t[0] = first;
        t[n - 1] = last;
        while (n > 2) {
            for (int i = 1; i < n - 1; i++) {
                t[i] = first + 1 + u.rng.nextLong(last - first - 1);
            }
            Arrays.sort(t, 1, n - 1);
            boolean distinct = true;
            for (int i = 1; i < n; i++) {
                distinct &= t[i] > t[i - 1];
            }
            if (distinct) {
                break;
            }
        }
        return t;
    }

    /** n increasing times in [first, last], at least (last - first) / (2n) apart. */
    private static long[] spaced(UserTimeline u, long first, long last, int n) {
        long slot = (last - first) / n;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = first + i * slot + u.rng.nextLong(slot / 2);
        }
        return t;
    }

    /** {@code total} cents in {@code parts} positive parts (total >= parts). */
    private static long[] split(UserTimeline u, long total, int parts) {
        long[] out = new long[parts];
        long left = total;
        for (int i = 0; i < parts - 1; i++) {
            out[i] = u.between(1, left - (parts - 1 - i));
            left -= out[i];
        }
        if (parts > 0) {
            out[parts - 1] = left;
        }
        return out;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** A scenario under construction. */
    private static final class Draft {
        final UserTimeline u;
        final Scenario s;
        final List<UserEvent> events = new ArrayList<>();
        final Map<String, Object> params = new LinkedHashMap<>();
        UserEvent first;
        UserEvent last;
        String trap;

        /** For a rule that fires at a deadline: that instant; else the last event's time. */
        Long detectedAt;

        Draft(UserTimeline u, Scenario s) {
            this.u = u;
            this.s = s;
        }

        UserEvent add(UserEvent e) {
            events.add(e);
            return e;
        }

        Draft param(String name, Object value) {
            params.put(name, value);
            return this;
        }

        Injected done() {
            Label label =
                    new Label(
                            u.userId,
                            s,
                            first.eventId(),
                            last.eventId(),
                            first.timestamp(),
                            detectedAt == null
                                    ? last.timestamp()
                                    : Instant.ofEpochMilli(detectedAt),
                            params);
            return new Injected(events, label, trap);
        }
    }
}
