package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.model.UserEvent;

/**
 * One record a backtest brings back to the client: an alert, a dead letter or a late event. One
 * union type so that a single collect stream carries all three.
 *
 * @param alert an alert, or null
 * @param deadLetter a dead letter, or null
 * @param lateEvent a late event, or null
 */
public record BacktestOutput(Alert alert, DeadLetter deadLetter, UserEvent lateEvent) {

    static BacktestOutput ofAlert(Alert a) {
        return new BacktestOutput(a, null, null);
    }

    static BacktestOutput ofDeadLetter(DeadLetter d) {
        return new BacktestOutput(null, d, null);
    }

    static BacktestOutput ofLateEvent(UserEvent e) {
        return new BacktestOutput(null, null, e);
    }
}
