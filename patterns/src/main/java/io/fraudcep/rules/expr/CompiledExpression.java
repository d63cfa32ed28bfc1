package io.fraudcep.rules.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelReference;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.fraudcep.rules.expr.ExprScope.Kind;
import io.fraudcep.rules.expr.ExprTranslator.Translation;
import java.util.Map;
import java.util.Optional;

/**
 * An expression translated, type-checked and made runnable: the CEL program and the operands that
 * its variables read. Not serializable (CEL's program is not): {@link RuleExpression} rebuilds it
 * from the source after deserialization.
 */
final class CompiledExpression {

    private final CelRuntime.Program program;
    private final Operand[] operands;
    private final ExprType resultType;

    private CompiledExpression(CelRuntime.Program program, Operand[] operands, ExprType type) {
        this.program = program;
        this.operands = operands;
        this.resultType = type;
    }

    /** Translates, checks and plans {@code source}; all static checks happen here. */
    static CompiledExpression of(String source, ExprScope scope) throws ExprException {
        Translation t = ExprTranslator.translate(source, scope);
        if (t.cel().isEmpty()) {
            throw new ExprException("empty expression", 0);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = ExprLibrary.check(t.cel(), t.operands());
        } catch (CelValidationException e) {
            throw CelErrors.translate(e, t, source);
        }
        requireOneOverloadPerCall(ast, t);
        ExprType type = ExprType.ofCelName(ast.getResultType().name());
        if (scope.kind() != Kind.SUMMARY && type != ExprType.BOOL) {
            throw new ExprException(
                    String.format(
                            "a %s must be a condition (true or false), not a %s",
                            scope.kind() == Kind.WHERE ? "where" : "having",
                            type == null ? "list" : type.userName()),
                    0);
        }
        if (type == null) {
            throw new ExprException("a summary placeholder must be one value, not a list", 0);
        }
        return new CompiledExpression(
                ExprLibrary.program(ast), t.operands().toArray(new Operand[0]), type);
    }

    /**
     * Refuses a call CEL could only resolve at run time: {@code x in [..]} on a list literal that
     * mixes value types, which CEL types as a list of anything.
     */
    private static void requireOneOverloadPerCall(CelAbstractSyntaxTree ast, Translation t)
            throws ExprException {
        for (Map.Entry<Long, CelReference> r : ast.getReferenceMap().entrySet()) {
            if (r.getValue().overloadIds().size() > 1) {
                Integer offset = ast.getSource().getPositionsMap().get(r.getKey());
                throw new ExprException(
                        "a list must hold values of one type: write its numbers all as"
                                + " decimals (100.00) or all as integers",
                        offset == null ? 0 : t.sourceColumn(offset));
            }
        }
    }

    /** True if some operand reads a step's events rather than only the event under test. */
    boolean readsSteps() {
        for (Operand o : operands) {
            if (o.readsSteps()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value in this match, or null if evaluation met a missing value or an error.
     *
     * @throws RuntimeException what the match view threw: a fault of the caller, not of the data
     */
    Object evaluate(MatchView view) {
        Reading reading = new Reading(view);
        Object result;
        try {
            result = program.eval(reading);
        } catch (CelEvaluationException e) {
            result = null;
        }
        if (reading.fault != null) {
            throw reading.fault;
        }
        // A missing value can also come back as CEL's "unknown" rather than as an error.
        return resultType.javaClass().isInstance(result) ? result : null;
    }

    /** Resolves CEL's variables {@code x<n>} to the operands' values in one match. */
    private final class Reading implements CelVariableResolver {
        private final MatchView view;
        private RuntimeException fault;

        Reading(MatchView view) {
            this.view = view;
        }

        @Override
        public Optional<Object> find(String variable) {
            int index = index(variable);
            if (index < 0) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(operands[index].read(view));
            } catch (ArithmeticException e) {
                // An integer sum that overflows: an error of the expression, as in CEL.
                return Optional.empty();
            } catch (RuntimeException e) {
                // CEL would turn it into an error value, and the condition into false.
                fault = e;
                return Optional.empty();
            }
        }
    }

    /** The operand index of a variable name {@code x<n>}, or -1. */
    private int index(String variable) {
        if (variable.length() < 2 || variable.charAt(0) != 'x') {
            return -1;
        }
        int index = 0;
        for (int i = 1; i < variable.length(); i++) {
            char c = variable.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index < operands.length ? index : -1;
    }
}
