package io.fraudcep.rules.expr;

import io.fraudcep.model.EventType;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprScope.Kind;
import io.fraudcep.rules.expr.ExprScope.StepShape;
import io.fraudcep.rules.expr.ExprTokenizer.Token;
import io.fraudcep.rules.expr.Operand.Aggregate;
import io.fraudcep.rules.expr.Operand.Aggregation;
import io.fraudcep.rules.expr.Operand.Constant;
import io.fraudcep.rules.expr.Operand.Count;
import io.fraudcep.rules.expr.Operand.Current;
import io.fraudcep.rules.expr.Operand.EventRef;
import io.fraudcep.rules.expr.Operand.Field;
import io.fraudcep.rules.expr.Operand.First;
import io.fraudcep.rules.expr.Operand.Last;
import io.fraudcep.rules.expr.Operand.Pair;
import io.fraudcep.rules.expr.Operand.PairFunction;
import io.fraudcep.rules.expr.Operand.Span;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Translates an expression of the rule language into CEL text, token by token, and checks every
 * name it meets against the scope. Operators, parentheses and lists pass through ({@code and},
 * {@code or}, {@code not} become {@code &&}, {@code ||}, {@code !}); every reference to a value of
 * the match ({@code amount}, {@code in.amount}, {@code first(out).amount}, {@code count(out)},
 * {@code sum(out.amount)}, {@code distanceKm(a, b)}, {@code $param}, a decimal literal, {@code
 * span}) becomes one CEL variable {@code x<n>} backed by an {@link Operand}. Step names therefore
 * never reach CEL, so a step may be called {@code in} while {@code in} stays the membership
 * operator. CEL parses and type-checks the result; the column map leads its errors back to the
 * user's text.
 */
final class ExprTranslator {

    /**
     * The translated expression.
     *
     * @param cel the CEL text, on one line
     * @param operands the value behind variable {@code x<i>} at index i
     * @param columns for each offset of the CEL text (and one past its end), the 1-based column in
     *     the source of the token it came from
     * @param tokens the source's tokens
     */
    record Translation(String cel, List<Operand> operands, int[] columns, List<Token> tokens) {

        /** The 1-based source column of a 0-based offset into the CEL text. */
        int sourceColumn(int celOffset) {
            return columns[Math.max(0, Math.min(celOffset, columns.length - 1))];
        }
    }

    /** The CEL variable name of operand {@code index}. */
    static String variable(int index) {
        return "x" + index;
    }

    private final List<Token> tokens;
    private final ExprScope scope;
    private final StringBuilder cel = new StringBuilder();
    private final List<Integer> columns = new ArrayList<>();
    private final List<Operand> operands = new ArrayList<>();
    private final Map<Operand, Integer> operandIndex = new HashMap<>();
    private int pos;

    private ExprTranslator(List<Token> tokens, ExprScope scope) {
        this.tokens = tokens;
        this.scope = scope;
    }

    static Translation translate(String source, ExprScope scope) throws ExprException {
        List<Token> tokens = ExprTokenizer.tokenize(source);
        ExprTranslator t = new ExprTranslator(tokens, scope);
        return t.run();
    }

    private Translation run() throws ExprException {
        while (peek().kind() != ExprTokenizer.Kind.END) {
            token(next());
        }
        columns.add(peek().column());
        int[] cols = columns.stream().mapToInt(Integer::intValue).toArray();
        return new Translation(cel.toString(), List.copyOf(operands), cols, tokens);
    }

    private void token(Token t) throws ExprException {
        switch (t.kind()) {
            case IDENT -> identifier(t);
            case PARAM -> parameter(t);
            case INT -> emit(t.text(), t);
            case DECIMAL -> operand(new Constant(new BigDecimal(t.text()), ExprType.DECIMAL), t);
            case STRING -> emit(celString(t.text()), t);
            case OPERATOR -> {
                if (t.is(".")) {
                    throw error(t, "unexpected '.': only a step name takes a field");
                }
                emit(t.text(), t);
            }
            case END -> throw new IllegalStateException("END is never translated");
        }
    }

    private void identifier(Token t) throws ExprException {
        if (peek().is(".")) {
            stepField(t);
            return;
        }
        switch (t.text()) {
            case "and" -> emit("&&", t);
            case "or" -> emit("||", t);
            case "not" -> emit("!", t);
            case "true", "false", "in" -> emit(t.text(), t);
            default -> {
                if (peek().is("(")) {
                    function(t);
                } else if (t.text().equals("span")) {
                    span(t);
                } else {
                    bareField(t);
                }
            }
        }
    }

    /** {@code name.field}: a single step's event, or the event under test by its step's name. */
    private void stepField(Token stepToken) throws ExprException {
        StepRef step = step(stepToken);
        next();
        Token fieldToken = expectIdent(stepToken.text() + ". must be followed by a field name");
        EventField field = field(fieldToken);
        if (!step.current() && step.shape().repeated()) {
            String s = step.name();
            String f = field.fieldName();
            throw error(
                    stepToken,
                    String.format(
                            "%s is a repeated step: write first(%s).%s, last(%s).%s or an"
                                    + " aggregate such as count(%s)",
                            s, s, f, s, f, s));
        }
        requirePresent(field, step.shape().types(), fieldToken);
        operand(new Field(step.event(), field), stepToken);
    }

    /** A field of the event under test, by its bare name. */
    private void bareField(Token t) throws ExprException {
        EventField field = EventField.named(t.text());
        if (field == null) {
            if (scope.allSteps().contains(t.text())) {
                throw error(t, "step " + t.text() + " needs a field, e.g. " + t.text() + ".type");
            }
            throw error(t, "unknown field " + t.text());
        }
        if (scope.kind() != Kind.WHERE) {
            throw error(
                    t,
                    String.format(
                            "a %s has no event under test: name the step, e.g. %s",
                            scope.kind() == Kind.HAVING ? "having" : "summary",
                            scope.kind() == Kind.HAVING
                                    ? "sum(" + scope.ownStep() + ".amount)"
                                    : "step." + t.text()));
        }
        StepShape own = scope.steps().get(scope.ownStep());
        if (own != null) {
            requirePresent(field, own.types(), t);
        }
        operand(new Field(new Current(), field), t);
    }

    private void parameter(Token t) throws ExprException {
        ParamValue p = scope.params().get(t.text());
        if (p == null) {
            throw error(t, "unknown parameter $" + t.text() + ": declare it under params");
        }
        ExprType type =
                switch (p.kind()) {
                    case INT -> ExprType.INT;
                    case DECIMAL -> ExprType.DECIMAL;
                    case DURATION -> ExprType.DURATION;
                    case STRING -> ExprType.STRING;
                    case BOOL -> ExprType.BOOL;
                };
        operand(new Constant(p.value(), type), t);
    }

    private void span(Token t) throws ExprException {
        if (scope.kind() != Kind.SUMMARY) {
            throw error(t, "span is only known in a summary");
        }
        operand(new Span(), t);
    }

    private void function(Token name) throws ExprException {
        Aggregation aggregation = Aggregation.named(name.text());
        PairFunction pair = PairFunction.named(name.text());
        if (name.text().equals("first") || name.text().equals("last")) {
            end(name);
        } else if (name.text().equals("count")) {
            count(name);
        } else if (aggregation != null) {
            aggregate(name, aggregation);
        } else if (pair != null) {
            pair(name, pair);
        } else {
            throw error(name, "unknown function " + name.text());
        }
    }

    /** {@code first(step).field}, {@code last(step).field}. */
    private void end(Token name) throws ExprException {
        String usage = name.text() + "(step).field";
        expect("(", usage);
        Token stepToken = expectIdent("write " + usage);
        StepRef step = repeatedStep(stepToken, name.text());
        expect(")", usage);
        expect(".", usage);
        Token fieldToken = expectIdent("write " + usage);
        EventField field = field(fieldToken);
        requirePresent(field, step.shape().types(), fieldToken);
        EventRef event =
                name.text().equals("first") ? new First(step.name()) : new Last(step.name());
        operand(new Field(event, field), name);
    }

    private void count(Token name) throws ExprException {
        expect("(", "count(step)");
        Token stepToken = expectIdent("write count(step)");
        StepRef step = repeatedStep(stepToken, "count");
        expect(")", "count(step)");
        operand(new Count(step.name()), name);
    }

    /** {@code sum(step.field)}, {@code min(..)}, {@code max(..)}, {@code distinct(..)}. */
    private void aggregate(Token name, Aggregation aggregation) throws ExprException {
        String usage = name.text() + "(step.field)";
        expect("(", usage);
        Token stepToken = expectIdent("write " + usage);
        StepRef step = repeatedStep(stepToken, name.text());
        expect(".", usage);
        Token fieldToken = expectIdent("write " + usage);
        EventField field = field(fieldToken);
        expect(")", usage);
        ExprType type = field.type();
        if (aggregation == Aggregation.SUM && !type.numeric()) {
            throw error(
                    fieldToken,
                    "sum needs a number: " + field.fieldName() + " is a " + type.userName());
        }
        if ((aggregation == Aggregation.MIN || aggregation == Aggregation.MAX) && !type.ordered()) {
            throw error(
                    fieldToken,
                    name.text()
                            + " needs ordered values: "
                            + field.fieldName()
                            + " is a "
                            + type.userName());
        }
        requirePresent(field, step.shape().types(), fieldToken);
        operand(new Aggregate(aggregation, step.name(), field), name);
    }

    /** {@code distanceKm(a, b)}, {@code speedKmh(a, b)}, {@code duration(a, b)}. */
    private void pair(Token name, PairFunction function) throws ExprException {
        String usage = name.text() + "(step, step)";
        expect("(", usage);
        EventRef a = pairArgument(expectIdent("write " + usage), function);
        expect(",", usage);
        EventRef b = pairArgument(expectIdent("write " + usage), function);
        expect(")", usage);
        operand(new Pair(function, a, b), name);
    }

    private EventRef pairArgument(Token stepToken, PairFunction function) throws ExprException {
        StepRef step = step(stepToken);
        if (!step.current() && step.shape().repeated()) {
            throw error(
                    stepToken,
                    step.name()
                            + " is a repeated step: "
                            + function.functionName()
                            + " takes single steps");
        }
        if (function.needsCoordinates() && !EventField.LAT.carriedByAny(step.shape().types())) {
            throw error(
                    stepToken,
                    String.format(
                            "%s needs coordinates: %s is never a login (%s)",
                            function.functionName(), step.name(), types(step.shape().types())));
        }
        return step.event();
    }

    /** A step read by an aggregate: visible, repeated and not the event under test. */
    private StepRef repeatedStep(Token stepToken, String function) throws ExprException {
        StepRef step = step(stepToken);
        if (step.current()) {
            throw error(
                    stepToken,
                    String.format(
                            "in its own where, %s is the event under test: %s reads a repeated"
                                    + " step before it",
                            step.name(), function));
        }
        if (!step.shape().repeated()) {
            throw error(
                    stepToken,
                    String.format(
                            "%s is a single step: %s applies to repeated steps (write %s.field)",
                            step.name(), function, step.name()));
        }
        return step;
    }

    /**
     * A visible step.
     *
     * @param name its name
     * @param shape its types and whether it repeats
     * @param current true if it is the event under test (the own step of a where)
     */
    private record StepRef(String name, StepShape shape, boolean current) {
        EventRef event() {
            return current ? new Current() : new First(name);
        }
    }

    private StepRef step(Token t) throws ExprException {
        String name = t.text();
        StepShape shape = scope.steps().get(name);
        if (shape != null) {
            boolean current = scope.kind() == Kind.WHERE && name.equals(scope.ownStep());
            return new StepRef(name, shape, current);
        }
        if (scope.allSteps().contains(name)) {
            throw error(t, notVisible(name));
        }
        if (EventField.named(name) != null) {
            throw error(t, name + " is a field, not a step");
        }
        throw error(t, "unknown step " + name);
    }

    private String notVisible(String name) {
        List<String> all = scope.allSteps();
        if (scope.ownStep() != null && all.indexOf(name) > all.indexOf(scope.ownStep())) {
            return String.format(
                    "step %s comes after %s: a %s reads only the steps before its own",
                    name, scope.ownStep(), scope.kind() == Kind.WHERE ? "where" : "having");
        }
        return "step " + name + " is absent: it has no events to read";
    }

    private EventField field(Token t) throws ExprException {
        EventField field = EventField.named(t.text());
        if (field == null) {
            throw error(t, "unknown field " + t.text());
        }
        return field;
    }

    private void requirePresent(EventField field, List<EventType> types, Token at)
            throws ExprException {
        if (!field.carriedByAny(types)) {
            throw error(at, "field " + field.fieldName() + " is never present on " + types(types));
        }
    }

    private static String types(List<EventType> types) {
        return types.stream().map(EventType::name).collect(Collectors.joining(" or "));
    }

    private void operand(Operand operand, Token at) {
        Integer index = operandIndex.get(operand);
        if (index == null) {
            index = operands.size();
            operands.add(operand);
            operandIndex.put(operand, index);
        }
        emit(variable(index), at);
    }

    private void emit(String text, Token at) {
        if (cel.length() > 0) {
            cel.append(' ');
            columns.add(at.column());
        }
        cel.append(text);
        for (int k = 0; k < text.length(); k++) {
            columns.add(at.column());
        }
    }

    private void expect(String operator, String usage) throws ExprException {
        Token t = next();
        if (!t.is(operator)) {
            throw error(t, "expected " + operator + ": write " + usage);
        }
    }

    private Token expectIdent(String message) throws ExprException {
        Token t = next();
        if (t.kind() != ExprTokenizer.Kind.IDENT) {
            throw error(t, message);
        }
        return t;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != ExprTokenizer.Kind.END) {
            pos++;
        }
        return t;
    }

    private static ExprException error(Token at, String message) {
        return new ExprException(message, at.column());
    }

    /** A CEL string literal of {@code value}, ASCII only so CEL's columns are offsets. */
    private static String celString(String value) {
        StringBuilder s = new StringBuilder("\"");
        value.codePoints()
                .forEach(
                        cp -> {
                            if (cp == '"' || cp == '\\') {
                                s.append('\\').append((char) cp);
                            } else if (cp >= 0x20 && cp < 0x7f) {
                                s.append((char) cp);
                            } else if (cp <= 0xffff) {
                                s.append(String.format("\\u%04x", cp));
                            } else {
                                s.append(String.format("\\U%08x", cp));
                            }
                        });
        return s.append('"').toString();
    }
}
