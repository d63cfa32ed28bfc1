package io.fraudcep.rules.expr;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.EventType.Family;
import io.fraudcep.model.Money;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fields of an event (events.md) and the facts about its user before it (rules.md) that an
 * expression reads by name, each with its type, the event types that can carry it and how to read
 * it. A value that is absent on an event reads as null (missing).
 */
enum EventField {
    EVENT_ID("eventId", ExprType.STRING, t -> true, e -> e.event().eventId()),
    USER_ID("userId", ExprType.STRING, t -> true, e -> e.event().userId()),
    TYPE("type", ExprType.STRING, t -> true, e -> e.event().type().name()),
    TIMESTAMP("timestamp", ExprType.TIMESTAMP, t -> true, EnrichedEvent::timestamp),
    DEVICE_ID(
            "deviceId",
            ExprType.STRING,
            t -> t.family() == Family.LOGIN || t == EventType.DEVICE_REGISTERED,
            e -> e.event().deviceId()),
    IP("ip", ExprType.STRING, EventField::login, e -> e.event().ip()),
    COUNTRY(
            "country",
            ExprType.STRING,
            t -> t.family() != Family.ACCOUNT_CHANGE,
            e -> e.event().country()),
    LAT("lat", ExprType.DOUBLE, EventField::login, e -> e.event().lat()),
    LON("lon", ExprType.DOUBLE, EventField::login, e -> e.event().lon()),
    CHANNEL("channel", ExprType.STRING, EventField::login, e -> e.event().channel()),
    AMOUNT("amount", ExprType.DECIMAL, EventField::transaction, EventField::amount),
    CURRENCY("currency", ExprType.STRING, EventField::transaction, e -> e.event().currency()),
    COUNTERPARTY_ID(
            "counterpartyId",
            ExprType.STRING,
            EventField::transaction,
            e -> e.event().counterpartyId()),
    CARD_ID("cardId", ExprType.STRING, EventField::transaction, e -> e.event().cardId()),
    MERCHANT_ID(
            "merchantId", ExprType.STRING, EventField::transaction, e -> e.event().merchantId()),
    MCC("mcc", ExprType.STRING, EventField::transaction, e -> e.event().mcc()),
    PAYEE_ID("payeeId", ExprType.STRING, t -> t == EventType.PAYEE_ADDED, e -> e.event().payeeId()),
    NEW_DEVICE("newDevice", ExprType.BOOL, t -> true, EnrichedEvent::newDevice),
    SINCE_PREVIOUS_EVENT(
            "sincePreviousEvent", ExprType.DURATION, t -> true, EventField::sincePreviousEvent),
    PRIOR_EVENTS("priorEvents", ExprType.INT, t -> true, EnrichedEvent::priorEvents),
    HAS_COORDINATES("hasCoordinates", ExprType.BOOL, t -> true, e -> e.event().hasCoordinates());

    private final String fieldName;
    private final ExprType type;
    private final Predicate<EventType> carriedBy;
    private final Function<EnrichedEvent, Object> reader;

    EventField(
            String fieldName,
            ExprType type,
            Predicate<EventType> carriedBy,
            Function<EnrichedEvent, Object> reader) {
        this.fieldName = fieldName;
        this.type = type;
        this.carriedBy = carriedBy;
        this.reader = reader;
    }

    /** The name an expression uses. */
    String fieldName() {
        return fieldName;
    }

    ExprType type() {
        return type;
    }

    /** True if some event of one of these types can carry the field. */
    boolean carriedByAny(List<EventType> types) {
        for (EventType t : types) {
            if (carriedBy.test(t)) {
                return true;
            }
        }
        return false;
    }

    /** The field's value on an event, or null if the event does not carry it. */
    Object read(EnrichedEvent e) {
        return reader.apply(e);
    }

    /** The field with this name, or null. */
    static EventField named(String name) {
        for (EventField f : values()) {
            if (f.fieldName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static boolean login(EventType t) {
        return t.family() == Family.LOGIN;
    }

    private static boolean transaction(EventType t) {
        return t.family() == Family.TRANSACTION;
    }

    private static Object amount(EnrichedEvent e) {
        Long cents = e.event().amountCents();
        return cents == null ? null : Money.toDecimal(cents);
    }

    private static Object sincePreviousEvent(EnrichedEvent e) {
        UserEvent event = e.event();
        return e.previousEventTime() == null
                ? null
                : Duration.between(e.previousEventTime(), event.timestamp());
    }
}
