package io.fraudcep.rules.expr;

import io.fraudcep.model.EventType;
import io.fraudcep.rules.ParamValue;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an expression may name, for its static checks at load: the rule's parameters, the steps it
 * can see, and what kind of expression it is.
 *
 * @param params the rule's parameters ({@code $name})
 * @param steps the steps visible by name, in rule order: for a {@code where}, the earlier present
 *     steps and the own step (as the current event); for a {@code having}, the earlier present
 *     steps and the own step; for a summary, every present step
 * @param ownStep the step the expression belongs to, or null for a summary
 * @param kind where, having or summary
 * @param allSteps every step name of the rule in rule order, the later and absent ones included:
 *     naming one that is not visible gets an error that says why rather than "unknown step"
 */
public record ExprScope(
        Map<String, ParamValue> params,
        Map<String, StepShape> steps,
        String ownStep,
        Kind kind,
        List<String> allSteps)
        implements Serializable {

    public ExprScope {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        allSteps = List.copyOf(allSteps);
    }

    /** A scope that knows only the visible steps of its rule. */
    public ExprScope(
            Map<String, ParamValue> params,
            Map<String, StepShape> steps,
            String ownStep,
            Kind kind) {
        this(params, steps, ownStep, kind, List.copyOf(steps.keySet()));
    }

    /** What kind of expression: decides the own step's shape and the required result type. */
    public enum Kind {
        /** A step's condition on one event; boolean. */
        WHERE,
        /** A repeated step's condition on all its events; boolean. */
        HAVING,
        /** A value in a summary template ({@code {...}}); any type. */
        SUMMARY
    }

    /**
     * A visible step.
     *
     * @param types the event types it accepts (decides which fields can be present)
     * @param repeated true if it may take several events ({@code count(..)}, {@code sum(..)} etc.),
     *     false for a single-event step ({@code name.field})
     */
    public record StepShape(List<EventType> types, boolean repeated) implements Serializable {
        public StepShape {
            types = List.copyOf(types);
        }
    }
}
