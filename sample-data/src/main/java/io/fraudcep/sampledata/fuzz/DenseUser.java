package io.fraudcep.sampledata.fuzz;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The scripted history of one dense-log user: a run of random episodes, each aimed at one pattern's
 * windows and thresholds and landing on either side of them (just inside, exactly on, just
 * outside), with random gaps between episodes from 0 ms to days, episodes that overlap, idle spells
 * around 90 and 180 days, producer retries and events at the same instant. Every random choice
 * comes from the user's own generator, so a user's script depends only on its seed.
 */
final class DenseUser {

    static final long MS = 1_000_000L;
    static final long SEC = 1_000 * MS;
    static final long MIN = 60 * SEC;
    static final long HOUR = 60 * MIN;
    static final long DAY = 24 * HOUR;

    /** A line is written at most this much event time after lines of later events. */
    static final long MAX_DISORDER = 4 * SEC;

    /** Amounts on and around every threshold of the catalogue, in cents. */
    static final long[] EDGE_AMOUNTS = {
        1, 4_99, 5_00, 5_01, 499_99, 500_00, 500_01, 999_99, 1000_00, 1000_01, 1999_99, 2000_00,
        2000_01, 4999_99, 5000_00, 5000_01, 8999_99, 9000_00, 9000_01, 9999_99, 10000_00, 10000_01
    };

    private static final EventType[] CREDENTIAL_CHANGES = {
        EventType.PASSWORD_CHANGE,
        EventType.EMAIL_CHANGE,
        EventType.PHONE_CHANGE,
        EventType.MFA_DISABLED
    };
    private static final String[] MCCS = {"5411", "5812", "5999", "4829", "7995", "5732"};

    /**
     * One scripted event with how it is written.
     *
     * @param event the event
     * @param line its JSON line
     * @param disorder how much event time later than its own the line is placed in its file
     * @param duplicateDisorder the same for an exact re-send of the line, or -1 if none
     */
    record Draft(UserEvent event, String line, long disorder, long duplicateDisorder) {}

    private final SplittableRandom rnd;
    private final String userId;
    private final long start;
    private final Places.City home;
    private final Places.City neighbour;
    private final String[] devices;
    private final String[] payees;
    private final String card;
    private final List<Draft> drafts = new ArrayList<>();

    private int sequence;
    private int newDevices;
    private int newPayees;
    private String lastNewDevice;
    private long horizon;
    private long episodeStart;
    private long episodeEnd;
    private long rareDeviceLastLogin = -1;
    private boolean rareDeviceRetired;

    /**
     * @param userId the user's id, also the prefix of its event ids
     * @param rnd the user's own random generator
     * @param timelineStart epoch nanoseconds before which no event is placed
     */
    DenseUser(String userId, SplittableRandom rnd, long timelineStart) {
        this.rnd = rnd;
        this.userId = userId;
        this.start = timelineStart;
        int city = rnd.nextInt(Places.HOMES.length);
        this.home = Places.HOMES[city];
        this.neighbour = Places.NEIGHBOURS[city];
        // d0 everyday, d1 second device, d2 a rare one that may come back after ~180 days.
        this.devices = new String[] {userId + "-d0", userId + "-d1", userId + "-d2"};
        this.payees = new String[] {userId + "-p0", userId + "-p1", userId + "-p2"};
        this.card = userId + "-card";
        this.horizon = timelineStart + ms(0, 3 * DAY);
    }

    /** Scripts episodes until the user has at least {@code events} events. */
    List<Draft> script(int events) {
        while (drafts.size() < events) {
            int r = rnd.nextInt(100);
            if (r < 26) {
                session(begin(nextStart()));
            } else if (r < 34) {
                bruteForce(begin(nextStart()));
            } else if (r < 42) {
                takeover(begin(nextStart()));
            } else if (r < 50) {
                cardTesting(begin(nextStart()));
            } else if (r < 59) {
                travel(begin(nextStart()));
            } else if (r < 66) {
                velocity(begin(nextStart()));
            } else if (r < 71) {
                structuring(begin(nextStart()));
            } else if (r < 79) {
                mule(begin(nextStart()));
            } else if (r < 87) {
                payeeDrain(begin(nextStart()));
            } else if (r < 90) {
                dormant();
            } else if (r < 95) {
                lateRetry();
            } else if (r < 97) {
                returningDevice();
            } else if (r < 98) {
                longIdle();
            } else if (r < 99) {
                failuresOnly(begin(nextStart()));
            } else {
                rearmed(begin(nextStart()));
            }
        }
        return drafts;
    }

    // ---------------------------------------------------------------- timing

    /** Where the next episode starts: mostly after the latest event, sometimes overlapping. */
    private long nextStart() {
        if (drafts.isEmpty()) {
            return horizon;
        }
        int r = rnd.nextInt(100);
        if (r < 15) {
            return episodeStart + ms(0, episodeEnd - episodeStart + MS);
        }
        if (r < 25) {
            return horizon + (chance(30) ? 0 : chance(30) ? MS : ms(MS, SEC));
        }
        if (r < 45) {
            return horizon + ms(SEC, MIN);
        }
        if (r < 65) {
            return horizon + ms(MIN, HOUR);
        }
        if (r < 85) {
            return horizon + ms(HOUR, DAY);
        }
        return horizon + ms(DAY, 10 * DAY);
    }

    private long begin(long t) {
        episodeStart = t;
        episodeEnd = t;
        return t;
    }

    /**
     * A span for a pattern of window w (first to last matched event): just inside, exactly w, just
     * outside (by 1 ms or 1 ns), well inside or well outside.
     */
    private long span(long w) {
        int r = rnd.nextInt(100);
        if (r < 10) {
            return w - MS;
        }
        if (r < 20) {
            return w;
        }
        if (r < 27) {
            return w + MS;
        }
        if (r < 30) {
            return chance(50) ? w - 1 : w + 1;
        }
        if (r < 75) {
            return ms(w / 20, w);
        }
        return ms(w + MS, w + w / 3);
    }

    /** A gap between the events of an episode: 0 ms, 1 ms, under a second, seconds, minutes. */
    private long smallGap() {
        int r = rnd.nextInt(100);
        if (r < 8) {
            return 0;
        }
        if (r < 14) {
            return MS;
        }
        if (r < 30) {
            return ms(2 * MS, SEC);
        }
        if (r < 75) {
            return ms(SEC, MIN);
        }
        return ms(MIN, 15 * MIN);
    }

    /** n sorted offsets in [0, max], the first 0 and the last max (if n > 1). */
    private long[] offsets(int n, long max) {
        long[] out = new long[n];
        for (int i = 1; i < n - 1; i++) {
            out[i] = ms(0, max + MS);
        }
        if (n > 1) {
            out[n - 1] = max;
        }
        Arrays.sort(out);
        return out;
    }

    // ---------------------------------------------------------------- episodes

    /** An ordinary session: maybe a typo, a login, then a handful of actions. */
    private void session(long t) {
        String device = chance(4) ? newDevice() : knownDevice();
        if (chance(15)) {
            for (int k = rnd.nextInt(1, 3); k > 0; k--) {
                login(t, false, device, sessionPlace());
                t += smallGap();
            }
        }
        login(t, true, device, sessionPlace());
        for (int n = rnd.nextInt(1, 9); n > 0; n--) {
            t += smallGap();
            sessionAction(loose(t));
        }
    }

    private void sessionAction(long t) {
        int r = rnd.nextInt(100);
        if (r < 35) {
            card(t, amount(1_00, 150_00));
        } else if (r < 45) {
            transferOut(t, amount(20_00, 1500_00), payee());
        } else if (r < 53) {
            withdrawal(t, amount(20_00, 500_00));
        } else if (r < 63) {
            deposit(t, amount(50_00, 3000_00));
        } else if (r < 70) {
            transferIn(t, amount(500_00, 4000_00), "employer-" + rnd.nextInt(20));
        } else if (r < 79) {
            change(t, credentialChange());
            if (chance(30)) {
                changeFlurry(t);
            }
        } else if (r < 84) {
            change(t, EventType.ADDRESS_CHANGE);
        } else if (r < 88) {
            payeeAdded(t, payee());
        } else if (r < 91) {
            deviceRegistered(t, chance(50) ? devices[1] : newDevice());
        } else if (r < 96) {
            login(t, true, knownDevice(), sessionPlace());
        } else {
            login(t, false, knownDevice(), null);
        }
    }

    /**
     * BRUTE_FORCE_LOGIN: 3 to 9 failures, then (mostly) a success around 10 min after the first.
     */
    private void bruteForce(long t0) {
        int n = pick(3, 4, 5, 5, 5, 6, 6, 7, 9);
        long span = span(10 * MIN);
        long spread = Math.min(span, chance(50) ? 30 * SEC : 4 * MIN);
        String device = chance(50) ? knownDevice() : newDevice();
        Places.City where = chance(40) ? null : chance(70) ? home : farCity();
        for (long o : offsets(n, spread)) {
            login(t0 + o, false, device, where);
        }
        if (chance(88)) {
            long ts = t0 + span;
            login(ts, true, chance(75) ? device : knownDevice(), where);
            if (chance(25)) {
                takeoverTail(ts);
            }
        }
    }

    /**
     * A pattern alerts at T; within its window W a second episode opens at T + u and its first
     * trigger, before T + W, is suppressed; a later trigger at T + W + v needs the second episode's
     * opening events, still in its window when v < u: it must alert (alerts.md: an earlier,
     * suppressed match never consumes the events of a later one). v lands on either side of u.
     */
    private void rearmed(long t0) {
        int which = rnd.nextInt(4);
        long w = which == 0 ? 15 * MIN : which == 1 ? 10 * MIN : which == 2 ? 30 * MIN : 10 * MIN;
        long alertAt = t0 + ms(MIN, w / 2);
        long u = ms(SEC, w / 2);
        long opening = alertAt + u;
        long suppressed = ms(opening + 2 * SEC, alertAt + w - MS);
        long v = chance(75) ? ms(0, u) : u + pick(0, MS, ms(MS, MIN));
        long later = alertAt + w + v;
        switch (which) {
            case 0 -> {
                for (long o : offsets(3, alertAt - t0 - SEC)) {
                    card(t0 + o, pick(1, 1_00, 4_99));
                }
                card(alertAt, pick(500_00, 750_00));
                int smalls = pick(3, 3, 4);
                for (int i = 0; i < smalls; i++) {
                    card(opening + i * MS, pick(1, 1_00, 4_99));
                }
                card(suppressed, pick(500_00, 9500_00));
                card(later, pick(500_00, 2000_00, 499_99));
            }
            case 1 -> {
                String device = knownDevice();
                for (long o : offsets(5, alertAt - t0 - SEC)) {
                    login(t0 + o, false, device, null);
                }
                login(alertAt, true, device, null);
                for (int i = 0; i < 5; i++) {
                    login(opening + i * MS, false, device, null);
                }
                login(suppressed, true, device, null);
                login(later, true, device, null);
            }
            case 2 -> {
                login(t0, true, newDevice(), null);
                change(t0 + SEC, credentialChange());
                transferOut(alertAt, pick(1000_00, 2500_00), payee());
                login(opening, true, newDevice(), null);
                change(opening + ms(MS, SEC), credentialChange());
                transferOut(suppressed, pick(1000_00, 5000_00), payee());
                transferOut(later, pick(1000_00, 2000_00, 999_99), payee());
            }
            default -> {
                String first = userId + "-np" + newPayees++;
                payeeAdded(t0, first);
                transferOut(alertAt, pick(5000_00, 6000_00), first);
                String second = userId + "-np" + newPayees++;
                payeeAdded(opening, second);
                transferOut(suppressed, pick(5000_00, 7000_00), second);
                transferOut(later, pick(5000_00, 8000_00, 4999_99), second);
            }
        }
    }

    /** ACCOUNT_TAKEOVER: a login (mostly from a new device), a change, a transfer around 30 min. */
    private void takeover(long t0) {
        int r = rnd.nextInt(100);
        String device =
                r < 60 || (r < 75 && lastNewDevice == null)
                        ? newDevice()
                        : r < 75 ? lastNewDevice : knownDevice();
        long tl = t0;
        if (chance(25)) {
            deviceRegistered(t0, device);
            tl = t0 + smallGap();
        }
        login(tl, true, device, chance(60) ? home : chance(50) ? null : farCity());
        long te = tl + span(30 * MIN);
        int c = rnd.nextInt(100);
        long tc = c < 12 ? tl : c < 20 ? te : c < 28 ? tl - ms(SEC, 5 * MIN) : ms(tl, te + MS);
        change(tc, chance(85) ? credentialChange() : EventType.ADDRESS_CHANGE);
        if (chance(35)) {
            changeFlurry(tc);
        }
        if (chance(20)) {
            change(ms(tl, te + MS), credentialChange());
        }
        if (chance(30)) {
            card(loose(ms(tl, te + MS)), amount(1_00, 200_00));
        }
        transferOut(te, pick(999_99, 1000_00, 1000_01, 2500_00, 5000_00, 12000_00), payee());
    }

    /** One to three more account changes within a second or so after t (a profile overhaul). */
    private void changeFlurry(long t) {
        for (int n = rnd.nextInt(1, 4); n > 0; n--) {
            t += chance(20) ? 0 : ms(MS, 1500 * MS);
            int r = rnd.nextInt(100);
            if (r < 75) {
                change(t, credentialChange());
            } else if (r < 88) {
                change(t, EventType.ADDRESS_CHANGE);
            } else {
                payeeAdded(t, payee());
            }
        }
    }

    /** A credential change and a transfer of about 1000.00 less than or about 30 min later. */
    private void takeoverTail(long tl) {
        long te = tl + span(30 * MIN);
        change(
                chance(12) ? tl : ms(tl, te + MS),
                chance(85) ? credentialChange() : EventType.ADDRESS_CHANGE);
        transferOut(
                te, pick(999_99, 1000_00, 1000_01, 1500_00, 4999_99, 5000_00, 12000_00), payee());
    }

    /** CARD_TESTING: small payments around 5.00, then a large one around 500.00, about 15 min. */
    private void cardTesting(long t0) {
        int k = pick(2, 3, 3, 3, 4, 5, 7);
        long span = span(15 * MIN);
        String merchant = "m-probe-" + rnd.nextInt(50);
        for (long o : offsets(k, span)) {
            card(t0 + o, pick(1, 50, 1_00, 1_99, 3_00, 4_99, 4_99, 4_99, 5_00, 5_01), merchant);
        }
        if (chance(25)) {
            transferOut(loose(t0 + ms(0, span + MS)), amount(10_00, 300_00), payee());
        }
        card(t0 + span, pick(499_99, 500_00, 500_00, 500_01, 750_00, 2000_00, 9500_00), merchant);
        if (chance(20)) {
            card(t0 + span + ms(SEC, 20 * MIN), pick(500_00, 2000_00, 4_99));
        }
    }

    /** IMPOSSIBLE_TRAVEL: two logins with coordinates, near and far, fast and slow, around 6 h. */
    private void travel(long t0) {
        int r = rnd.nextInt(100);
        Places.City from = r < 60 ? home : r < 80 ? neighbour : farCity();
        login(t0, true, knownDevice(), from);
        Places.City to;
        int d = rnd.nextInt(100);
        if (d < 40) {
            to = anyCity();
        } else if (d < 55) {
            to = from == neighbour ? home : neighbour;
        } else if (d < 65) {
            to = Places.pointAt(from, rnd.nextDouble(360.0), 499.8);
        } else if (d < 75) {
            to = Places.pointAt(from, rnd.nextDouble(360.0), 500.2);
        } else if (d < 85) {
            to = from;
        } else {
            to = farCity();
        }
        double km = Places.distanceKm(from, to);
        long gap;
        int g = rnd.nextInt(100);
        long atThreshold = (long) (km / 1000.0 * HOUR);
        if (g < 8) {
            gap = 0;
        } else if (g < 25) {
            gap = ms(MS, 30 * MIN);
        } else if (g < 50 && atThreshold > 0 && atThreshold < 6 * HOUR) {
            // Around the implied speed of 1000 km/h: 0.5 % and 0.1 % either side.
            double f = new double[] {0.995, 0.999, 1.001, 1.005}[rnd.nextInt(4)];
            gap = (long) (atThreshold * f) / MS * MS;
        } else if (g < 85) {
            gap = span(6 * HOUR);
        } else {
            gap = ms(6 * HOUR, 12 * HOUR);
        }
        if (chance(20) && gap > 0) {
            long between = t0 + ms(0, gap);
            if (chance(60)) {
                login(between, true, knownDevice(), null);
            } else {
                login(between, false, knownDevice(), farCity());
            }
        }
        long tb = t0 + gap;
        login(tb, true, chance(85) ? knownDevice() : newDevice(), to);
        if (chance(30)) {
            login(tb + ms(MIN, 8 * HOUR), true, knownDevice(), home);
        }
    }

    /** VELOCITY: a steady stream of payments, or a burst of 8 to 14 outflows around 5 min. */
    private void velocity(long t0) {
        if (chance(30)) {
            long step = pick(7 * SEC, 20 * SEC, 29_999 * MS, 30 * SEC, 33_333 * MS, 33_334 * MS);
            for (int k = 0, n = rnd.nextInt(10, 27); k < n; k++) {
                outgoing(t0 + k * step);
            }
            return;
        }
        int n = pick(8, 9, 10, 10, 11, 12, 14);
        long span = span(5 * MIN);
        int tenth = Math.min(9, n - 1);
        long[] firstTen = offsets(tenth + 1, span);
        for (int k = 0; k < n; k++) {
            long t = t0 + (k <= tenth ? firstTen[k] : span + ms(0, 2 * MIN));
            outgoing(t);
            if (chance(12)) {
                if (chance(50)) {
                    deposit(t, amount(10_00, 500_00));
                } else {
                    transferIn(t, amount(100_00, 3000_00), "acct-" + rnd.nextInt(100));
                }
            }
        }
    }

    private void outgoing(long t) {
        int r = rnd.nextInt(100);
        if (r < 60) {
            card(t, amount(1_00, 80_00));
        } else if (r < 80) {
            transferOut(t, amount(10_00, 1200_00), payee());
        } else {
            withdrawal(t, amount(20_00, 600_00));
        }
    }

    /** STRUCTURING: 2 to 5 deposits around 9000.00 to 10000.00, the third around 24 h later. */
    private void structuring(long t0) {
        int k = pick(2, 3, 3, 3, 4, 5);
        long span = span(24 * HOUR);
        int third = Math.min(2, k - 1);
        long[] firstThree = offsets(third + 1, span);
        for (int i = 0; i < k; i++) {
            long t = t0 + (i <= third ? firstThree[i] : span + ms(0, 6 * HOUR));
            long cents =
                    chance(75)
                            ? pick(9000_00, 9000_01, 9250_00, 9500_00, 9876_54, 9999_99)
                            : pick(8999_99, 10000_00, 10000_01);
            deposit(t, cents);
            if (chance(30)) {
                deposit(loose(t + smallGap()), amount(50_00, 2000_00));
            }
        }
    }

    /**
     * MONEY_MULE: a transfer in around 2000.00, then 1 to 4 outflows summing to around 80 % of it,
     * the last around 2 h after it; sometimes card payments (not outflows) or an outflow before it.
     */
    private void mule(long t0) {
        long in = pick(1999_99, 2000_00, 2000_01, 2500_00, 3333_33, 4000_01, 7500_00, 15000_00);
        long threshold = (in * 80 + 99) / 100;
        int r = rnd.nextInt(100);
        long total =
                r < 20
                        ? threshold - 1
                        : r < 55 ? threshold : r < 70 ? threshold + 1 : r < 85 ? in : in * 6 / 10;
        if (chance(10)) {
            transferOut(t0 - ms(SEC, 10 * MIN), amount(100_00, 2000_00), payee());
        }
        transferIn(t0, in, "acct-" + rnd.nextInt(1000));
        int m = rnd.nextInt(1, 5);
        long[] parts = split(total, m);
        long[] at = offsets(m + 1, span(2 * HOUR));
        for (int j = 0; j < m; j++) {
            long t = t0 + at[j + 1];
            if (chance(60)) {
                transferOut(t, parts[j], chance(50) ? payee() : "acct-" + rnd.nextInt(1000));
            } else {
                withdrawal(t, parts[j]);
            }
            if (chance(20)) {
                card(t, amount(5_00, 900_00));
            }
        }
    }

    /** NEW_PAYEE_DRAIN: a payee added, then a transfer around 5000.00 to it around 10 min later. */
    private void payeeDrain(long t0) {
        long t = t0;
        if (chance(60)) {
            login(t, true, chance(25) ? newDevice() : knownDevice(), sessionPlace());
            t += smallGap();
        }
        String payee = chance(70) ? userId + "-np" + newPayees++ : payee();
        payeeAdded(t, payee);
        long span = chance(8) ? 0 : span(10 * MIN);
        if (chance(15)) {
            payeeAdded(t + (chance(50) ? ms(0, 2 * SEC) : ms(0, span + MS)), payee);
        }
        if (chance(15)) {
            transferOut(loose(t + ms(0, span + MS)), amount(1_00, 100_00), payee);
        }
        String to = chance(82) ? payee : payee();
        transferOut(
                t + span, pick(4999_99, 5000_00, 5000_00, 5000_01, 6500_00, 25000_00, 999_99), to);
    }

    /**
     * DORMANT_ACCOUNT: around 90 days idle, a login, an outflow around 1000.00 around 1 h later.
     */
    private void dormant() {
        int r = rnd.nextInt(100);
        long idle =
                r < 15
                        ? 90 * DAY - MS
                        : r < 30
                                ? 90 * DAY
                                : r < 40
                                        ? 90 * DAY + MS
                                        : r < 44
                                                ? 90 * DAY + (chance(50) ? 1 : -1)
                                                : r < 70
                                                        ? ms(89 * DAY, 90 * DAY)
                                                        : ms(90 * DAY, 101 * DAY);
        long t = begin(horizon + idle);
        int first = rnd.nextInt(100);
        if (first < 10) {
            login(t, false, knownDevice(), null);
            t += smallGap();
        } else if (first < 18) {
            deposit(t, amount(10_00, 1000_00));
            t += smallGap();
        }
        login(t, true, chance(70) ? knownDevice() : newDevice(), chance(60) ? home : farCity());
        if (chance(35)) {
            change(t + ms(0, 20 * MIN), credentialChange());
        }
        if (chance(20)) {
            card(loose(t + ms(0, 50 * MIN)), amount(1_00, 100_00));
        }
        long out = pick(999_99, 1000_00, 1000_00, 1000_01, 2500_00, 9000_00);
        long te = t + span(HOUR);
        if (chance(60)) {
            transferOut(te, out, payee());
        } else {
            withdrawal(te, out);
        }
    }

    /** The rare device d2 comes back about 180 days after its last login, then a takeover tail. */
    private void returningDevice() {
        if (rareDeviceRetired
                || rareDeviceLastLogin < 0
                || horizon - rareDeviceLastLogin < 20 * DAY) {
            session(begin(nextStart()));
            return;
        }
        rareDeviceRetired = true;
        int r = rnd.nextInt(100);
        long back =
                r < 15
                        ? 180 * DAY - MS
                        : r < 35
                                ? 180 * DAY
                                : r < 50
                                        ? 180 * DAY + MS
                                        : r < 56
                                                ? 180 * DAY + (chance(50) ? 1 : -1)
                                                : ms(179 * DAY, 181 * DAY);
        long tl = begin(rareDeviceLastLogin + back);
        login(tl, true, devices[2], sessionPlace());
        if (chance(80)) {
            takeoverTail(tl);
        }
    }

    /** 179 to 181 days idle, then a login from a known device and (mostly) a takeover tail. */
    private void longIdle() {
        int r = rnd.nextInt(100);
        long idle =
                r < 20
                        ? 180 * DAY - MS
                        : r < 40 ? 180 * DAY : r < 60 ? 180 * DAY + MS : ms(179 * DAY, 181 * DAY);
        long tl = begin(horizon + idle);
        login(tl, true, chance(50) ? devices[0] : devices[1], sessionPlace());
        if (chance(70)) {
            takeoverTail(tl);
        }
    }

    /** A near miss of BRUTE_FORCE_LOGIN: failures only, or a success long after the first. */
    private void failuresOnly(long t0) {
        String device = chance(50) ? newDevice() : knownDevice();
        for (long o : offsets(rnd.nextInt(3, 10), ms(0, 8 * MIN))) {
            login(t0 + o, false, device, chance(50) ? null : farCity());
        }
        if (chance(40)) {
            login(t0 + ms(10 * MIN, 20 * MIN), true, device, home);
        }
    }

    /**
     * A producer retry with a new timestamp: a recent event re-sent with its eventId from seconds
     * to 3 days later, often exactly at (or 1 ms either side of) the 24 h de-duplication horizon.
     */
    private void lateRetry() {
        if (drafts.isEmpty()) {
            return;
        }
        UserEvent x =
                drafts.get(rnd.nextInt(Math.max(0, drafts.size() - 40), drafts.size())).event();
        int r = rnd.nextInt(100);
        long delta =
                r < 12
                        ? DAY - MS
                        : r < 24
                                ? DAY
                                : r < 34
                                        ? DAY + MS
                                        : r < 50
                                                ? ms(DAY, 3 * DAY)
                                                : r < 75
                                                        ? ms(5 * SEC, 10 * MIN)
                                                        : ms(10 * MIN, DAY);
        Instant t = instant(nanos(x.timestamp()) + delta);
        begin(nanos(t));
        record(copyAt(x, t));
    }

    /** The event with another timestamp, everything else equal. */
    private static UserEvent copyAt(UserEvent x, Instant t) {
        UserEvent.Builder b =
                UserEvent.builder(x.eventId(), x.userId(), x.type(), t)
                        .deviceId(x.deviceId())
                        .ip(x.ip())
                        .country(x.country())
                        .channel(x.channel())
                        .currency(x.currency())
                        .counterpartyId(x.counterpartyId())
                        .cardId(x.cardId())
                        .merchantId(x.merchantId())
                        .mcc(x.mcc())
                        .payeeId(x.payeeId());
        if (x.lat() != null && x.lon() != null) {
            b.coordinates(x.lat(), x.lon());
        }
        if (x.amountCents() != null) {
            b.amountCents(x.amountCents());
        }
        return b.build();
    }

    // ---------------------------------------------------------------- profile choices

    private String knownDevice() {
        int r = rnd.nextInt(100);
        if (r < 8 && !rareDeviceRetired) {
            return devices[2];
        }
        return r < 75 ? devices[0] : devices[1];
    }

    private String newDevice() {
        lastNewDevice = userId + "-nd" + newDevices++;
        return lastNewDevice;
    }

    private String payee() {
        return payees[rnd.nextInt(payees.length)];
    }

    private EventType credentialChange() {
        return CREDENTIAL_CHANGES[rnd.nextInt(CREDENTIAL_CHANGES.length)];
    }

    /** Home mostly, no coordinates a quarter of the time, sometimes the neighbouring city. */
    private Places.City sessionPlace() {
        int r = rnd.nextInt(100);
        return r < 70 ? home : r < 95 ? null : neighbour;
    }

    private Places.City farCity() {
        Places.City c = Places.HOMES[rnd.nextInt(Places.HOMES.length)];
        return c == home ? Places.HOMES[(indexOf(home) + 4) % Places.HOMES.length] : c;
    }

    private Places.City anyCity() {
        int i = rnd.nextInt(2 * Places.HOMES.length);
        return i < Places.HOMES.length
                ? Places.HOMES[i]
                : Places.NEIGHBOURS[i - Places.HOMES.length];
    }

    private static int indexOf(Places.City city) {
        return Arrays.asList(Places.HOMES).indexOf(city);
    }

    /** A random amount in [lo, hi] cents, or one of the threshold amounts (12 %). */
    private long amount(long lo, long hi) {
        return chance(12)
                ? EDGE_AMOUNTS[rnd.nextInt(EDGE_AMOUNTS.length)]
                : rnd.nextLong(lo, hi + 1);
    }

    /** Splits a total of cents into up to n positive parts. */
    private long[] split(long total, int n) {
        n = (int) Math.max(1, Math.min(n, total));
        long[] cuts = new long[n + 1];
        cuts[n] = total;
        for (int i = 1; i < n; i++) {
            cuts[i] = rnd.nextLong(1, total);
        }
        Arrays.sort(cuts);
        List<Long> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (cuts[i + 1] > cuts[i]) {
                parts.add(cuts[i + 1] - cuts[i]);
            }
        }
        return parts.stream().mapToLong(Long::longValue).toArray();
    }

    // ---------------------------------------------------------------- events

    private void login(long t, boolean success, String device, Places.City at) {
        String ip = "203.0.113." + rnd.nextInt(1, 255);
        String channel = chance(50) ? "web" : "mobile";
        boolean country = chance(50);
        emit(
                t,
                success ? EventType.LOGIN_SUCCESS : EventType.LOGIN_FAILURE,
                b -> {
                    b.deviceId(device).ip(ip).channel(channel);
                    if (at != null) {
                        b.country(at.country()).coordinates(at.lat(), at.lon());
                    } else if (country) {
                        b.country(home.country());
                    }
                });
    }

    private void card(long t, long cents) {
        card(t, cents, "m-" + rnd.nextInt(200));
    }

    private void card(long t, long cents, String merchant) {
        String mcc = MCCS[rnd.nextInt(MCCS.length)];
        emit(
                t,
                EventType.CARD_PAYMENT,
                b ->
                        b.amountCents(cents)
                                .currency(home.currency())
                                .cardId(card)
                                .merchantId(merchant)
                                .mcc(mcc)
                                .country(home.country()));
    }

    private void transferOut(long t, long cents, String counterparty) {
        emit(
                t,
                EventType.TRANSFER_OUT,
                b -> b.amountCents(cents).currency(home.currency()).counterpartyId(counterparty));
    }

    private void transferIn(long t, long cents, String counterparty) {
        emit(
                t,
                EventType.TRANSFER_IN,
                b -> b.amountCents(cents).currency(home.currency()).counterpartyId(counterparty));
    }

    private void deposit(long t, long cents) {
        emit(t, EventType.DEPOSIT, b -> b.amountCents(cents).currency(home.currency()));
    }

    private void withdrawal(long t, long cents) {
        emit(t, EventType.WITHDRAWAL, b -> b.amountCents(cents).currency(home.currency()));
    }

    private void change(long t, EventType type) {
        emit(t, type, b -> {});
    }

    private void payeeAdded(long t, String payee) {
        emit(t, EventType.PAYEE_ADDED, b -> b.payeeId(payee));
    }

    private void deviceRegistered(long t, String device) {
        emit(t, EventType.DEVICE_REGISTERED, b -> b.deviceId(device));
    }

    /** A new event with the next id ({@code <userId>-<n>}, n not zero-padded). */
    private void emit(long t, EventType type, Consumer<UserEvent.Builder> fields) {
        UserEvent.Builder b =
                UserEvent.builder(
                        userId + "-" + ++sequence, userId, type, instant(Math.max(t, start)));
        fields.accept(b);
        record(b.build());
    }

    /** Adds the event with how its line is written: fraction digits, disorder, re-send. */
    private void record(UserEvent e) {
        long t = nanos(e.timestamp());
        String line = WireFormat.line(e, WireFormat.chooseDigits(e.timestamp(), rnd));
        long disorder = disorder();
        long duplicate =
                chance(15, 1000) ? disorder + rnd.nextLong(MAX_DISORDER - disorder + 1) : -1;
        drafts.add(new Draft(e, line, disorder, duplicate));
        horizon = Math.max(horizon, t);
        episodeEnd = Math.max(episodeEnd, t);
        if (e.type() == EventType.LOGIN_SUCCESS
                && devices[2].equals(e.deviceId())
                && !rareDeviceRetired) {
            rareDeviceLastLogin = Math.max(rareDeviceLastLogin, t);
        }
    }

    /** How far behind later events a line is written: mostly 0, at most 4 s. */
    private long disorder() {
        int r = rnd.nextInt(100);
        if (r < 75) {
            return 0;
        }
        if (r < 80) {
            return MAX_DISORDER;
        }
        return r < 92 ? ms(MS, MAX_DISORDER) : rnd.nextLong(1, MAX_DISORDER + 1);
    }

    /** Sometimes moves a time off the millisecond grid (by microseconds or nanoseconds). */
    private long loose(long t) {
        int r = rnd.nextInt(100);
        if (r < 5) {
            return t + rnd.nextLong(1, 1000) * 1000;
        }
        if (r < 9) {
            return t + rnd.nextLong(1, 1_000_000);
        }
        return t;
    }

    // ---------------------------------------------------------------- random helpers

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private boolean chance(int n, int outOf) {
        return rnd.nextInt(outOf) < n;
    }

    /** A whole number of milliseconds in [lo, hi), or lo if the range is under 1 ms. */
    private long ms(long lo, long hi) {
        return lo + MS * rnd.nextLong(Math.max(1, (hi - lo) / MS));
    }

    private long pick(long... options) {
        return options[rnd.nextInt(options.length)];
    }

    private int pick(int... options) {
        return options[rnd.nextInt(options.length)];
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
