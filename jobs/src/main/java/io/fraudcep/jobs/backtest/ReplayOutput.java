package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.model.UserEvent;

/**
 * One record a backtest brings back to the client: an alert (of the rules in force or of the
 * what-if rules, active or shadow), a dead letter or a late event. One union type, so that a single
 * collect stream carries them all (two collect streams read one after the other could stall the
 * job).
 *
 * @param kind what it is
 * @param alert the alert, for the four alert kinds, or null
 * @param deadLetter the dead letter, or null
 * @param lateEvent the late event, or null
 */
public record ReplayOutput(Kind kind, Alert alert, DeadLetter deadLetter, UserEvent lateEvent) {

    /** What a backtest brings back. */
    public enum Kind {
        ALERT,
        SHADOW_ALERT,
        WHAT_IF_ALERT,
        WHAT_IF_SHADOW_ALERT,
        DEAD_LETTER,
        LATE_EVENT
    }

    public static ReplayOutput ofAlert(Alert a) {
        return new ReplayOutput(Kind.ALERT, a, null, null);
    }

    public static ReplayOutput ofShadowAlert(Alert a) {
        return new ReplayOutput(Kind.SHADOW_ALERT, a, null, null);
    }

    public static ReplayOutput ofWhatIfAlert(Alert a) {
        return new ReplayOutput(Kind.WHAT_IF_ALERT, a, null, null);
    }

    public static ReplayOutput ofWhatIfShadowAlert(Alert a) {
        return new ReplayOutput(Kind.WHAT_IF_SHADOW_ALERT, a, null, null);
    }

    public static ReplayOutput ofDeadLetter(DeadLetter d) {
        return new ReplayOutput(Kind.DEAD_LETTER, null, d, null);
    }

    public static ReplayOutput ofLateEvent(UserEvent e) {
        return new ReplayOutput(Kind.LATE_EVENT, null, null, e);
    }
}
