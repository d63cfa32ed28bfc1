package io.fraudcep.sampledata.fuzz;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Terse builders of one user's events at offsets from {@link #T0}, for reference scenarios; its
 * offsets and instants serve the rule reference's tests too.
 */
public final class RefEvents {

    public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    public static final String USER = "u-1";
    static final double[] PARIS = {48.8566, 2.3522};
    static final double[] BRUSSELS = {50.8503, 4.3517};
    static final double[] NEW_YORK = {40.7128, -74.0060};
    static final double[] TOKYO = {35.6762, 139.6503};

    private RefEvents() {}

    public static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    public static Duration sec(long n) {
        return Duration.ofSeconds(n);
    }

    public static Duration min(long n) {
        return Duration.ofMinutes(n);
    }

    public static Duration hours(long n) {
        return Duration.ofHours(n);
    }

    public static Duration days(long n) {
        return Duration.ofDays(n);
    }

    static UserEvent event(
            String id, EventType type, Duration at, Consumer<UserEvent.Builder> fields) {
        UserEvent.Builder b = UserEvent.builder(id, USER, type, T0.plus(at));
        fields.accept(b);
        return b.build();
    }

    static UserEvent success(String id, Duration at, String device) {
        return event(id, EventType.LOGIN_SUCCESS, at, b -> b.deviceId(device));
    }

    static UserEvent success(String id, Duration at, String device, double[] place) {
        return event(
                id,
                EventType.LOGIN_SUCCESS,
                at,
                b -> b.deviceId(device).coordinates(place[0], place[1]));
    }

    static UserEvent failure(String id, Duration at) {
        return event(id, EventType.LOGIN_FAILURE, at, b -> b.deviceId("d-x"));
    }

    static UserEvent failure(String id, Duration at, double[] place) {
        return event(
                id,
                EventType.LOGIN_FAILURE,
                at,
                b -> b.deviceId("d-x").coordinates(place[0], place[1]));
    }

    static UserEvent card(String id, Duration at, String amount) {
        return event(id, EventType.CARD_PAYMENT, at, b -> b.amount(amount));
    }

    static UserEvent transferOut(String id, Duration at, String amount, String counterparty) {
        return event(
                id, EventType.TRANSFER_OUT, at, b -> b.amount(amount).counterpartyId(counterparty));
    }

    static UserEvent transferOut(String id, Duration at, String amount) {
        return transferOut(id, at, amount, "acct-1");
    }

    static UserEvent transferIn(String id, Duration at, String amount) {
        return event(
                id, EventType.TRANSFER_IN, at, b -> b.amount(amount).counterpartyId("acct-in"));
    }

    static UserEvent withdrawal(String id, Duration at, String amount) {
        return event(id, EventType.WITHDRAWAL, at, b -> b.amount(amount));
    }

    static UserEvent deposit(String id, Duration at, String amount) {
        return event(id, EventType.DEPOSIT, at, b -> b.amount(amount));
    }

    static UserEvent change(String id, Duration at, EventType type) {
        return event(id, type, at, b -> {});
    }

    static UserEvent payeeAdded(String id, Duration at, String payee) {
        return event(id, EventType.PAYEE_ADDED, at, b -> b.payeeId(payee));
    }

    static UserEvent deviceRegistered(String id, Duration at, String device) {
        return event(id, EventType.DEVICE_REGISTERED, at, b -> b.deviceId(device));
    }

    /** The reference's alerts of one pattern on these events. */
    static List<RefAlert> alerts(String patternId, List<UserEvent> events) {
        return ContractReference.detect(events).stream()
                .filter(a -> a.patternId().equals(patternId))
                .toList();
    }

    /** The reference's alerts of one pattern on these events. */
    static List<RefAlert> alerts(String patternId, UserEvent... events) {
        return alerts(patternId, List.of(events));
    }
}
