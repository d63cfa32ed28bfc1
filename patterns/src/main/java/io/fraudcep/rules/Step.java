package io.fraudcep.rules;

import io.fraudcep.model.EventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * One step of a rule (rules.md).
 *
 * @param name the step's name, {@code [a-z][A-Za-z0-9]*}, unique in its rule
 * @param types the event types the step accepts (one or more)
 * @param where the condition's source text, or null
 * @param times how many events the step takes (default exactly one)
 * @param having the condition on all the events of a repeated step, or null
 * @param strict {@code contiguity: strict}: the step's first event is the user's very next accepted
 *     event after the previous step's last one
 * @param absent {@code absent: true}: no accepted event satisfying the step lies between the
 *     previous and the next step
 * @param forDuration for an absent last step: the period after the last present event, else null
 */
public record Step(
        String name,
        List<EventType> types,
        String where,
        Quantifier times,
        String having,
        boolean strict,
        boolean absent,
        Duration forDuration)
        implements Serializable {

    public Step {
        types = List.copyOf(types);
    }

    public boolean accepts(EventType type) {
        return types.contains(type);
    }

    /** True if the step may take more than one event (a {@code times} other than exactly 1). */
    public boolean repeated() {
        return times.max() != 1;
    }
}
