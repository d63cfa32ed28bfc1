package io.fraudcep.model;

/** Why a record of the log was not accepted; written with every dead letter. */
public enum RejectReason {
    /** The record is larger than 64 KiB. */
    TOO_LARGE,
    /** The value is empty, not UTF-8 JSON, or has trailing content. */
    NOT_JSON,
    /** The value is JSON but not an object. */
    NOT_AN_OBJECT,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    WRONG_TYPE,
    /** The {@code type} is not one of events.md. */
    UNKNOWN_TYPE,
    /** A value is out of its range or format (length, timestamp, amount, coordinates, codes). */
    OUT_OF_RANGE,
    /**
     * The event time is further ahead of the reading job's clock than the allowed skew (the wall
     * clock for a live job, the end of the replayed range for a replay): obeying it would move the
     * watermark into the future and turn every later event into a late one.
     */
    FUTURE_TIMESTAMP,
    /**
     * A record of the rule control topic that changes nothing (rules.md): unparseable, an unknown
     * or missing field, an invalid rule, a version that does not increase, or a rule that needs
     * more history than the job keeps.
     */
    INVALID_RULE_RECORD
}
