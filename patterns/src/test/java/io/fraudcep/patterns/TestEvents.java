package io.fraudcep.patterns;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Named instants and event builders for the pattern tests. Every event id is the user id, a dash
 * and a short name ({@code "bf-five-f1"}), so ids are unique in a scenario and an assertion reads
 * {@code ids(user, "f1", "ok")}.
 */
final class TestEvents {

    /** Monday 2 March 2026, 09:00 UTC: the origin of every scenario. */
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private TestEvents() {}

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    static Duration sec(long n) {
        return Duration.ofSeconds(n);
    }

    static Duration min(long n) {
        return Duration.ofMinutes(n);
    }

    static Duration hours(long n) {
        return Duration.ofHours(n);
    }

    static Duration days(long n) {
        return Duration.ofDays(n);
    }

    static String id(String user, String name) {
        return user + "-" + name;
    }

    static List<String> ids(String user, String... names) {
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            ids.add(id(user, name));
        }
        return ids;
    }

    static UserEvent loginSuccess(String user, String name, Instant t, String device) {
        return UserEvent.builder(id(user, name), user, EventType.LOGIN_SUCCESS, t)
                .deviceId(device)
                .build();
    }

    static UserEvent loginSuccessFrom(
            String user, String name, Instant t, String device, double lat, double lon) {
        return UserEvent.builder(id(user, name), user, EventType.LOGIN_SUCCESS, t)
                .deviceId(device)
                .coordinates(lat, lon)
                .build();
    }

    static UserEvent loginFailure(String user, String name, Instant t, String device) {
        return UserEvent.builder(id(user, name), user, EventType.LOGIN_FAILURE, t)
                .deviceId(device)
                .build();
    }

    static UserEvent loginFailureFrom(
            String user, String name, Instant t, String device, double lat, double lon) {
        return UserEvent.builder(id(user, name), user, EventType.LOGIN_FAILURE, t)
                .deviceId(device)
                .coordinates(lat, lon)
                .build();
    }

    static UserEvent cardPayment(String user, String name, Instant t, String amount) {
        return UserEvent.builder(id(user, name), user, EventType.CARD_PAYMENT, t)
                .amount(amount)
                .currency("EUR")
                .cardId("card-" + user)
                .merchantId("m-1")
                .build();
    }

    static UserEvent transferOut(
            String user, String name, Instant t, String amount, String counterparty) {
        return UserEvent.builder(id(user, name), user, EventType.TRANSFER_OUT, t)
                .amount(amount)
                .currency("EUR")
                .counterpartyId(counterparty)
                .build();
    }

    static UserEvent transferIn(
            String user, String name, Instant t, String amount, String counterparty) {
        return UserEvent.builder(id(user, name), user, EventType.TRANSFER_IN, t)
                .amount(amount)
                .currency("EUR")
                .counterpartyId(counterparty)
                .build();
    }

    static UserEvent deposit(String user, String name, Instant t, String amount) {
        return UserEvent.builder(id(user, name), user, EventType.DEPOSIT, t)
                .amount(amount)
                .currency("EUR")
                .build();
    }

    static UserEvent withdrawal(String user, String name, Instant t, String amount) {
        return UserEvent.builder(id(user, name), user, EventType.WITHDRAWAL, t)
                .amount(amount)
                .currency("EUR")
                .build();
    }

    /** An account change without extra fields: password, e-mail, phone, MFA or address. */
    static UserEvent change(String user, String name, Instant t, EventType type) {
        return UserEvent.builder(id(user, name), user, type, t).build();
    }

    static UserEvent payeeAdded(String user, String name, Instant t, String payee) {
        return UserEvent.builder(id(user, name), user, EventType.PAYEE_ADDED, t)
                .payeeId(payee)
                .build();
    }

    static UserEvent deviceRegistered(String user, String name, Instant t, String device) {
        return UserEvent.builder(id(user, name), user, EventType.DEVICE_REGISTERED, t)
                .deviceId(device)
                .build();
    }
}
