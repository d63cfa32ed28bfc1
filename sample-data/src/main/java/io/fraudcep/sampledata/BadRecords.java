package io.fraudcep.sampledata;

import io.fraudcep.model.EventTime;
import java.time.Instant;

/**
 * Lines that break the event contract of events.md, one of each kind in turn: the pipeline must
 * dead-letter every one of them and go on. They are labelled nowhere.
 */
final class BadRecords {

    /** The kinds of contract breach, in the order they are written. */
    enum Kind {
        NOT_JSON,
        NOT_AN_OBJECT,
        UNKNOWN_TYPE,
        MISSING_USER_ID,
        NEGATIVE_AMOUNT,
        THREE_FRACTION_DIGITS,
        BAD_TIMESTAMP
    }

    private BadRecords() {}

    /** The topic file a bad record of this kind goes to (the n-th of its kind). */
    static Topic topic(Kind kind, int n) {
        switch (kind) {
            case NOT_JSON:
            case NOT_AN_OBJECT:
                return Topic.values()[n % Topic.values().length];
            case UNKNOWN_TYPE:
                return Topic.ACCOUNT_CHANGES;
            case MISSING_USER_ID:
                return Topic.LOGINS;
            default:
                return Topic.TRANSACTIONS;
        }
    }

    /** One bad line; {@code id} is unique among bad records, {@code time} a plausible time. */
    static String line(Kind kind, int n, String userId, long time) {
        String id = "bad-" + n;
        String ts = EventTime.format(Instant.ofEpochMilli(time));
        switch (kind) {
            case NOT_JSON:
                return n % 2 == 0
                        ? "{\"eventId\":\"" + id + "\",\"userId\":\"" + userId + "\",\"type\":"
                        : "LOGIN_SUCCESS " + userId + " " + ts;
            case NOT_AN_OBJECT:
                return "[{\"eventId\":\""
                        + id
                        + "\",\"userId\":\""
                        + userId
                        + "\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\""
                        + ts
                        + "\",\"deviceId\":\"d-0\"}]";
            case UNKNOWN_TYPE:
                return obj(id, userId, "TELEPORT", ts, "");
            case MISSING_USER_ID:
                return "{\"eventId\":\""
                        + id
                        + "\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\""
                        + ts
                        + "\",\"deviceId\":\"d-0\"}";
            case NEGATIVE_AMOUNT:
                return obj(id, userId, "CARD_PAYMENT", ts, ",\"amount\":\"-25.00\"");
            case THREE_FRACTION_DIGITS:
                return obj(
                        id,
                        userId,
                        "TRANSFER_OUT",
                        ts,
                        ",\"amount\":\"12.345\",\"counterpartyId\":\"acct-1\"");
            default:
                // A local date-time, not an ISO-8601 UTC instant.
                return obj(
                        id,
                        userId,
                        "DEPOSIT",
                        ts.replace('T', ' ').replace("Z", ""),
                        ",\"amount\":\"10.00\"");
        }
    }

    private static String obj(String id, String userId, String type, String ts, String extra) {
        return "{\"eventId\":\""
                + id
                + "\",\"userId\":\""
                + userId
                + "\",\"type\":\""
                + type
                + "\",\"timestamp\":\""
                + ts
                + "\""
                + extra
                + "}";
    }
}
