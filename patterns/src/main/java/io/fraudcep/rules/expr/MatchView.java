package io.fraudcep.rules.expr;

import io.fraudcep.enrich.EnrichedEvent;
import java.time.Duration;
import java.util.List;

/**
 * What an expression reads while a match is being built: the event under test and the events
 * already bound to steps. Implemented by the engine and by the reference interpreter.
 */
public interface MatchView {

    /**
     * In a {@code where}: the event being tested (also reachable by its own step's name). In a
     * {@code having} or a summary: null.
     */
    EnrichedEvent current();

    /**
     * The events bound to a step, in event-time order: one for a single-event step, one or more for
     * a repeated one. In a {@code where}, only earlier steps are asked for; in a {@code having},
     * earlier steps and the step itself; in a summary, every present step.
     */
    List<EnrichedEvent> events(String step);

    /**
     * In a summary: the time from the match's first to its last (present) event, the value of
     * {@code span}. Null elsewhere, or where the implementation does not supply it ({@code span}
     * then reads as missing).
     */
    default Duration span() {
        return null;
    }
}
