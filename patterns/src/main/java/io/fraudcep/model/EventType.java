package io.fraudcep.model;

/** The types of user action in the log (events.md). The type, not the topic, decides meaning. */
public enum EventType {
    LOGIN_SUCCESS(Family.LOGIN),
    LOGIN_FAILURE(Family.LOGIN),
    CARD_PAYMENT(Family.TRANSACTION),
    TRANSFER_OUT(Family.TRANSACTION),
    TRANSFER_IN(Family.TRANSACTION),
    DEPOSIT(Family.TRANSACTION),
    WITHDRAWAL(Family.TRANSACTION),
    PASSWORD_CHANGE(Family.ACCOUNT_CHANGE),
    EMAIL_CHANGE(Family.ACCOUNT_CHANGE),
    PHONE_CHANGE(Family.ACCOUNT_CHANGE),
    MFA_DISABLED(Family.ACCOUNT_CHANGE),
    PAYEE_ADDED(Family.ACCOUNT_CHANGE),
    DEVICE_REGISTERED(Family.ACCOUNT_CHANGE),
    ADDRESS_CHANGE(Family.ACCOUNT_CHANGE);

    /** The event families of events.md, each with its own fields. */
    public enum Family {
        LOGIN,
        TRANSACTION,
        ACCOUNT_CHANGE
    }

    private static final java.util.Map<String, EventType> BY_NAME = new java.util.HashMap<>();

    static {
        for (EventType type : values()) {
            BY_NAME.put(type.name(), type);
        }
    }

    private final Family family;

    EventType(Family family) {
        this.family = family;
    }

    public Family family() {
        return family;
    }

    /** "Outgoing" in patterns.md: money leaving the account. */
    public boolean isOutgoing() {
        return this == CARD_PAYMENT || this == TRANSFER_OUT || this == WITHDRAWAL;
    }

    /** A credential or contact change, as ACCOUNT_TAKEOVER uses the term. */
    public boolean isCredentialChange() {
        return this == PASSWORD_CHANGE
                || this == EMAIL_CHANGE
                || this == PHONE_CHANGE
                || this == MFA_DISABLED;
    }

    /** The type with this exact wire name, or null. */
    public static EventType fromWireName(String name) {
        return BY_NAME.get(name);
    }
}
