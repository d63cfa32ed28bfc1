package io.fraudcep.rules.expr;

import java.io.Serializable;

/**
 * A compiled {@code where}, {@code having} or summary placeholder of a rule (rules.md), evaluated
 * on a {@link MatchView}. {@link #compile} does every static check (names, visibility, types,
 * fields no step type carries, a condition that is not boolean); evaluation never throws for data:
 * a missing optional field makes the comparison that reads it an error, {@code and}/{@code or}
 * absorb errors as CEL defines ({@code false and error} is false, {@code true or error} is true),
 * and an expression whose result is an error is false ({@link #test}) or null ({@link #value}).
 *
 * <p>Serializable for Flink, which ships rules inside operators: the source and the scope travel,
 * the CEL program is rebuilt on first use after deserialization.
 */
public final class RuleExpression implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final ExprScope scope;
    private final boolean readsSteps;
    private transient volatile CompiledExpression compiled;

    private RuleExpression(String source, ExprScope scope, CompiledExpression compiled) {
        this.source = source;
        this.scope = scope;
        this.readsSteps = compiled.readsSteps();
        this.compiled = compiled;
    }

    /**
     * Parses and type-checks {@code source} in {@code scope}.
     *
     * @throws ExprException naming what is wrong and its column
     */
    public static RuleExpression compile(String source, ExprScope scope) throws ExprException {
        return new RuleExpression(source, scope, CompiledExpression.of(source, scope));
    }

    /** A {@code where} or {@code having}: true if it holds; false if false or an error. */
    public boolean test(MatchView view) {
        return Boolean.TRUE.equals(compiled().evaluate(view));
    }

    /**
     * A summary placeholder's value: BigDecimal (amounts and decimals, at the scale the arithmetic
     * gives, e.g. 2 for an amount), Long, Double, String, Boolean, java.time.Duration or
     * java.time.Instant ({@code timestamp}); null if it is missing or an error.
     */
    public Object value(MatchView view) {
        return compiled().evaluate(view);
    }

    /**
     * True if it reads a step other than the event under test (an earlier step, an aggregate,
     * {@code span}): false means a {@code where} depends on the current event and constants only,
     * so it can be evaluated once per event.
     */
    public boolean readsSteps() {
        return readsSteps;
    }

    /** The expression as written. */
    public String source() {
        return source;
    }

    /** The scope it was compiled in. */
    public ExprScope scope() {
        return scope;
    }

    @Override
    public String toString() {
        return source;
    }

    private CompiledExpression compiled() {
        CompiledExpression c = compiled;
        if (c == null) {
            try {
                c = CompiledExpression.of(source, scope);
            } catch (ExprException e) {
                throw new IllegalStateException("expression compiled before no longer does", e);
            }
            compiled = c;
        }
        return c;
    }
}
