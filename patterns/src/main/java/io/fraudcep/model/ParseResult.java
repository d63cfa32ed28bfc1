package io.fraudcep.model;

/**
 * The outcome of parsing one record: an accepted event, or the reason it was rejected.
 *
 * @param event the event, or null if rejected
 * @param reason the reject reason, or null if accepted
 * @param detail a sentence naming the field at fault, or null if accepted
 */
public record ParseResult(UserEvent event, RejectReason reason, String detail) {

    public static ParseResult accepted(UserEvent event) {
        return new ParseResult(event, null, null);
    }

    public static ParseResult rejected(RejectReason reason, String detail) {
        return new ParseResult(null, reason, detail);
    }

    public boolean isAccepted() {
        return event != null;
    }
}
