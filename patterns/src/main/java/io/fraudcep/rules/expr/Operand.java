package io.fraudcep.rules.expr;

import io.fraudcep.enrich.EnrichedEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One value an expression reads out of a match: a field of an event, an aggregate over a repeated
 * step, a function of two steps' events, a constant or the match's span. The translation of an
 * expression turns each such reference into one CEL variable; evaluation reads the variable through
 * its operand. A value that is not there (a missing optional field, a step with no events) reads as
 * null, which CEL treats as an error that {@code and}/{@code or} may absorb.
 */
sealed interface Operand {

    ExprType type();

    /** The value in this match, or null if it is missing. */
    Object read(MatchView view);

    /** True if it reads a step's events rather than only the event under test and constants. */
    boolean readsSteps();

    /** Which event of the match a field or a function reads. */
    sealed interface EventRef {

        /** The event, or null if there is none. */
        EnrichedEvent resolve(MatchView view);

        boolean readsSteps();
    }

    /** The event under test in a {@code where}. */
    record Current() implements EventRef {
        @Override
        public EnrichedEvent resolve(MatchView view) {
            return view.current();
        }

        @Override
        public boolean readsSteps() {
            return false;
        }
    }

    /** The first event of a step: the only one of a single-event step. */
    record First(String step) implements EventRef {
        @Override
        public EnrichedEvent resolve(MatchView view) {
            List<EnrichedEvent> events = view.events(step);
            return events == null || events.isEmpty() ? null : events.get(0);
        }

        @Override
        public boolean readsSteps() {
            return true;
        }
    }

    /** The last event of a step. */
    record Last(String step) implements EventRef {
        @Override
        public EnrichedEvent resolve(MatchView view) {
            List<EnrichedEvent> events = view.events(step);
            return events == null || events.isEmpty() ? null : events.get(events.size() - 1);
        }

        @Override
        public boolean readsSteps() {
            return true;
        }
    }

    /** {@code amount}, {@code login.deviceId}, {@code first(out).amount}. */
    record Field(EventRef event, EventField field) implements Operand {
        @Override
        public ExprType type() {
            return field.type();
        }

        @Override
        public Object read(MatchView view) {
            EnrichedEvent e = event.resolve(view);
            return e == null ? null : field.read(e);
        }

        @Override
        public boolean readsSteps() {
            return event.readsSteps();
        }
    }

    /** {@code count(step)}: how many events a repeated step has taken. */
    record Count(String step) implements Operand {
        @Override
        public ExprType type() {
            return ExprType.INT;
        }

        @Override
        public Object read(MatchView view) {
            List<EnrichedEvent> events = view.events(step);
            return events == null ? 0L : (long) events.size();
        }

        @Override
        public boolean readsSteps() {
            return true;
        }
    }

    /** The aggregates over a field of a repeated step's events. */
    enum Aggregation {
        SUM("sum"),
        MIN("min"),
        MAX("max"),
        DISTINCT("distinct");

        private final String functionName;

        Aggregation(String functionName) {
            this.functionName = functionName;
        }

        String functionName() {
            return functionName;
        }

        static Aggregation named(String name) {
            for (Aggregation a : values()) {
                if (a.functionName.equals(name)) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * {@code sum(step.field)}, {@code min(..)}, {@code max(..)}: over the events that carry the
     * field (missing if none does); {@code distinct(..)}: how many different values they carry.
     */
    record Aggregate(Aggregation aggregation, String step, EventField field) implements Operand {
        @Override
        public ExprType type() {
            return aggregation == Aggregation.DISTINCT ? ExprType.INT : field.type();
        }

        @Override
        public Object read(MatchView view) {
            List<EnrichedEvent> events = view.events(step);
            if (events == null) {
                return null;
            }
            return switch (aggregation) {
                case SUM -> sum(events);
                case MIN -> extreme(events, -1);
                case MAX -> extreme(events, 1);
                case DISTINCT -> distinct(events);
            };
        }

        @Override
        public boolean readsSteps() {
            return true;
        }

        private Object sum(List<EnrichedEvent> events) {
            Object total = null;
            for (EnrichedEvent e : events) {
                Object v = field.read(e);
                if (v != null) {
                    total =
                            total == null
                                    ? v
                                    : ExprValues.arithmetic(ExprValues.Arithmetic.ADD, total, v);
                }
            }
            return total;
        }

        /** The least (sign -1) or greatest (sign 1) value; NaN doubles are skipped. */
        private Object extreme(List<EnrichedEvent> events, int sign) {
            Object best = null;
            for (EnrichedEvent e : events) {
                Object v = field.read(e);
                if (v == null || (v instanceof Double d && d.isNaN())) {
                    continue;
                }
                if (best == null || ExprValues.compare(v, best) * sign > 0) {
                    best = v;
                }
            }
            return best;
        }

        private Object distinct(List<EnrichedEvent> events) {
            Set<Object> values = new HashSet<>();
            for (EnrichedEvent e : events) {
                Object v = field.read(e);
                if (v != null) {
                    values.add(v instanceof BigDecimal d ? d.stripTrailingZeros() : v);
                }
            }
            return (long) values.size();
        }
    }

    /** The functions of two events. */
    enum PairFunction {
        DISTANCE_KM("distanceKm", ExprType.DOUBLE, true),
        SPEED_KMH("speedKmh", ExprType.DOUBLE, true),
        DURATION("duration", ExprType.DURATION, false);

        private final String functionName;
        private final ExprType type;
        private final boolean needsCoordinates;

        PairFunction(String functionName, ExprType type, boolean needsCoordinates) {
            this.functionName = functionName;
            this.type = type;
            this.needsCoordinates = needsCoordinates;
        }

        String functionName() {
            return functionName;
        }

        /** True if both events must carry coordinates (lat, lon). */
        boolean needsCoordinates() {
            return needsCoordinates;
        }

        static PairFunction named(String name) {
            for (PairFunction b : values()) {
                if (b.functionName.equals(name)) {
                    return b;
                }
            }
            return null;
        }

        Object apply(EnrichedEvent a, EnrichedEvent b) {
            Duration gap = Duration.between(a.timestamp(), b.timestamp());
            if (this == DURATION) {
                return gap;
            }
            if (!a.event().hasCoordinates() || !b.event().hasCoordinates()) {
                return null;
            }
            double km =
                    Geo.distanceKm(
                            a.event().lat(), a.event().lon(), b.event().lat(), b.event().lon());
            return this == DISTANCE_KM ? km : Geo.speedKmh(km, gap);
        }
    }

    /** {@code distanceKm(a, b)}, {@code speedKmh(a, b)}, {@code duration(a, b)}. */
    record Pair(PairFunction function, EventRef a, EventRef b) implements Operand {
        @Override
        public ExprType type() {
            return function.type;
        }

        @Override
        public Object read(MatchView view) {
            EnrichedEvent first = a.resolve(view);
            EnrichedEvent second = b.resolve(view);
            return first == null || second == null ? null : function.apply(first, second);
        }

        @Override
        public boolean readsSteps() {
            return a.readsSteps() || b.readsSteps();
        }
    }

    /** A {@code $parameter} or a decimal literal. */
    record Constant(Object value, ExprType type) implements Operand {
        @Override
        public Object read(MatchView view) {
            return value;
        }

        @Override
        public boolean readsSteps() {
            return false;
        }
    }

    /** {@code span}: the time from the match's first to its last event, in a summary. */
    record Span() implements Operand {
        @Override
        public ExprType type() {
            return ExprType.DURATION;
        }

        @Override
        public Object read(MatchView view) {
            return view.span();
        }

        @Override
        public boolean readsSteps() {
            return true;
        }
    }
}
