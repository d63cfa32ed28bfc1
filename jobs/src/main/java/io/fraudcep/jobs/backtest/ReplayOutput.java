package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.model.UserEvent;

/**
 * One record a backtest brings back to the client: an alert of the patterns in force, an alert of
 * the what-if configuration, a dead letter or a late event. One union type, so that a single
 * collect stream carries them all (two collect streams read one after the other could stall the
 * job).
 *
 * @param alert an alert of configuration A, or null
 * @param whatIfAlert an alert of configuration B, or null
 * @param deadLetter a dead letter, or null
 * @param lateEvent a late event, or null
 */
public record ReplayOutput(
        Alert alert, Alert whatIfAlert, DeadLetter deadLetter, UserEvent lateEvent) {

    public static ReplayOutput ofAlert(Alert a) {
        return new ReplayOutput(a, null, null, null);
    }

    public static ReplayOutput ofWhatIfAlert(Alert a) {
        return new ReplayOutput(null, a, null, null);
    }

    public static ReplayOutput ofDeadLetter(DeadLetter d) {
        return new ReplayOutput(null, null, d, null);
    }

    public static ReplayOutput ofLateEvent(UserEvent e) {
        return new ReplayOutput(null, null, null, e);
    }
}
