package io.fraudcep.rules.expr;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprScope.Kind;
import io.fraudcep.rules.expr.ExprScope.StepShape;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Events, scopes and match views for the expression tests. */
final class ExprFixtures {

    /** Monday 2 March 2026, 09:00 UTC. */
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static final AtomicInteger IDS = new AtomicInteger();

    private ExprFixtures() {}

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    /** An event of {@code type} at {@code t} with the fields {@code fields} sets. */
    static UserEvent event(EventType type, Instant t, UnaryOperator<UserEvent.Builder> fields) {
        return fields.apply(UserEvent.builder("e" + IDS.incrementAndGet(), "u1", type, t)).build();
    }

    /** An event with no history: not from a new device, the user's first, no prior events. */
    static EnrichedEvent plain(UserEvent e) {
        return new EnrichedEvent(e, false, null, 0);
    }

    /** An event with the facts of rules.md. */
    static EnrichedEvent withFacts(
            UserEvent e, boolean newDevice, Instant previousEventTime, long priorEvents) {
        return new EnrichedEvent(e, newDevice, previousEventTime, priorEvents);
    }

    static EnrichedEvent payment(String amount) {
        return plain(event(EventType.CARD_PAYMENT, T0, b -> b.amount(amount)));
    }

    static EnrichedEvent transfer(EventType type, String amount, Instant t) {
        return plain(transferEvent(type, amount, t));
    }

    static UserEvent transferEvent(EventType type, String amount, Instant t) {
        return event(type, t, b -> b.amount(amount).counterpartyId("acct-1"));
    }

    static EnrichedEvent login(Instant t, String device) {
        return plain(event(EventType.LOGIN_SUCCESS, t, b -> b.deviceId(device)));
    }

    static EnrichedEvent loginAt(Instant t, double lat, double lon) {
        return plain(
                event(EventType.LOGIN_SUCCESS, t, b -> b.deviceId("d1").coordinates(lat, lon)));
    }

    static ParamValue decimal(String v) {
        return ParamValue.decimal(new BigDecimal(v));
    }

    /** A rule's steps and params, from which the scope of each of its expressions is cut. */
    static final class Rule {
        private final Map<String, ParamValue> params = new LinkedHashMap<>();
        private final List<String> names = new ArrayList<>();
        private final Map<String, StepShape> shapes = new HashMap<>();
        private final Map<String, Boolean> absent = new HashMap<>();

        static Rule rule() {
            return new Rule();
        }

        Rule param(String name, ParamValue value) {
            params.put(name, value);
            return this;
        }

        Rule step(String name, EventType... types) {
            return add(name, false, false, types);
        }

        Rule repeated(String name, EventType... types) {
            return add(name, true, false, types);
        }

        Rule absent(String name, EventType... types) {
            return add(name, false, true, types);
        }

        private Rule add(String name, boolean repeated, boolean isAbsent, EventType... types) {
            names.add(name);
            shapes.put(name, new StepShape(Arrays.asList(types), repeated));
            absent.put(name, isAbsent);
            return this;
        }

        ExprScope where(String own) {
            return scope(own, Kind.WHERE);
        }

        ExprScope having(String own) {
            return scope(own, Kind.HAVING);
        }

        ExprScope summary() {
            return scope(null, Kind.SUMMARY);
        }

        private ExprScope scope(String own, Kind kind) {
            Map<String, StepShape> visible = new LinkedHashMap<>();
            for (String name : names) {
                if (name.equals(own)) {
                    visible.put(name, shapes.get(name));
                    break;
                }
                if (!absent.get(name)) {
                    visible.put(name, shapes.get(name));
                }
            }
            return new ExprScope(params, visible, own, kind, names);
        }
    }

    /** A match under construction: the event under test, the steps' events and the span. */
    static final class View implements MatchView {
        private final EnrichedEvent current;
        private final Map<String, List<EnrichedEvent>> steps = new HashMap<>();
        private Duration span;

        private View(EnrichedEvent current) {
            this.current = current;
        }

        /** A view for a where on {@code current}. */
        static View testing(EnrichedEvent current) {
            return new View(current);
        }

        /** A view for a having or a summary. */
        static View match() {
            return new View(null);
        }

        View with(String step, EnrichedEvent... events) {
            steps.put(step, List.of(events));
            return this;
        }

        View span(Duration span) {
            this.span = span;
            return this;
        }

        @Override
        public EnrichedEvent current() {
            return current;
        }

        @Override
        public List<EnrichedEvent> events(String step) {
            return steps.get(step);
        }

        @Override
        public Duration span() {
            return span;
        }
    }
}
