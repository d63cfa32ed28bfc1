package io.fraudcep.rules.expr;

import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionOverload;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import io.fraudcep.rules.expr.ExprValues.Arithmetic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The CEL environment of the rule language: CEL's logical operators ({@code &&}, {@code ||}, {@code
 * !}, which absorb errors as CEL defines) and, instead of CEL's standard comparisons and
 * arithmetic, overloads over the language's types with {@link ExprValues}' exact semantics. No
 * macros, no other standard function. One compiler base and one runtime serve every expression;
 * each expression adds its own variables.
 */
final class ExprLibrary {

    private static final CelOptions OPTIONS = CelOptions.current().build();

    private static final ExprType[] ORDERED = {
        ExprType.DECIMAL,
        ExprType.INT,
        ExprType.DOUBLE,
        ExprType.STRING,
        ExprType.DURATION,
        ExprType.TIMESTAMP
    };
    private static final ExprType[] NUMBERS = {ExprType.DECIMAL, ExprType.INT, ExprType.DOUBLE};

    private static final Map<String, IntPredicate> ORDER_OPERATORS = new LinkedHashMap<>();
    private static final Map<String, Arithmetic> ARITHMETIC_OPERATORS = new LinkedHashMap<>();

    static {
        ORDER_OPERATORS.put("_<_", c -> c < 0);
        ORDER_OPERATORS.put("_<=_", c -> c <= 0);
        ORDER_OPERATORS.put("_>_", c -> c > 0);
        ORDER_OPERATORS.put("_>=_", c -> c >= 0);
        ARITHMETIC_OPERATORS.put("_+_", Arithmetic.ADD);
        ARITHMETIC_OPERATORS.put("_-_", Arithmetic.SUBTRACT);
        ARITHMETIC_OPERATORS.put("_*_", Arithmetic.MULTIPLY);
        ARITHMETIC_OPERATORS.put("_/_", Arithmetic.DIVIDE);
    }

    private static final Map<String, String> OVERLOAD_NAMES =
            Map.of(
                    "_<_", "less",
                    "_<=_", "less_equals",
                    "_>_", "greater",
                    "_>=_", "greater_equals",
                    "_==_", "equals",
                    "_!=_", "not_equals",
                    "_+_", "add",
                    "_-_", "subtract",
                    "_*_", "multiply",
                    "_/_", "divide");

    private static final CelCompiler BASE_COMPILER;
    private static final CelRuntime RUNTIME;

    static {
        Map<String, List<CelOverloadDecl>> declarations = new LinkedHashMap<>();
        List<CelFunctionBinding> bindings = new ArrayList<>();
        comparisons(declarations, bindings);
        arithmetic(declarations, bindings);
        membership(declarations, bindings);
        List<CelFunctionDecl> functions = new ArrayList<>();
        declarations.forEach(
                (name, overloads) ->
                        functions.add(CelFunctionDecl.newFunctionDeclaration(name, overloads)));
        BASE_COMPILER =
                CelCompilerFactory.standardCelCompilerBuilder()
                        .setOptions(OPTIONS)
                        .setStandardMacros()
                        .setStandardEnvironmentEnabled(false)
                        .setStandardDeclarations(
                                CelStandardDeclarations.newBuilder()
                                        .includeFunctions(
                                                CelStandardDeclarations.StandardFunction
                                                        .LOGICAL_NOT,
                                                CelStandardDeclarations.StandardFunction
                                                        .LOGICAL_AND,
                                                CelStandardDeclarations.StandardFunction.LOGICAL_OR)
                                        .build())
                        .addFunctionDeclarations(functions)
                        .build();
        RUNTIME =
                CelRuntimeFactory.standardCelRuntimeBuilder()
                        .setOptions(OPTIONS)
                        .setStandardEnvironmentEnabled(false)
                        .setStandardFunctions(
                                CelStandardFunctions.newBuilder()
                                        .includeFunctions(
                                                CelStandardFunctions.StandardFunction.LOGICAL_NOT)
                                        .build())
                        .addFunctionBindings(bindings)
                        .build();
    }

    private ExprLibrary() {}

    /** Parses and type-checks a translated expression with one variable per operand. */
    static CelAbstractSyntaxTree check(String cel, List<Operand> operands)
            throws CelValidationException {
        CelCompilerBuilder compiler = BASE_COMPILER.toCompilerBuilder();
        for (int i = 0; i < operands.size(); i++) {
            compiler.addVar(ExprTranslator.variable(i), operands.get(i).type().celType());
        }
        return compiler.build().compile(cel).getAst();
    }

    /** The runnable program of a checked expression. */
    static CelRuntime.Program program(CelAbstractSyntaxTree ast) {
        try {
            return RUNTIME.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("a checked expression has no program", e);
        }
    }

    /** {@code < <= > >= == !=} within each ordered type and across number types; bool equality. */
    private static void comparisons(
            Map<String, List<CelOverloadDecl>> declarations, List<CelFunctionBinding> bindings) {
        List<ExprType[]> pairs = new ArrayList<>();
        for (ExprType t : ORDERED) {
            pairs.add(new ExprType[] {t, t});
        }
        for (ExprType a : NUMBERS) {
            for (ExprType b : NUMBERS) {
                if (a != b) {
                    pairs.add(new ExprType[] {a, b});
                }
            }
        }
        for (ExprType[] p : pairs) {
            ORDER_OPERATORS.forEach(
                    (function, test) ->
                            add(
                                    declarations,
                                    bindings,
                                    function,
                                    ExprType.BOOL.celType(),
                                    p[0],
                                    p[1],
                                    (x, y) -> {
                                        Integer order = ExprValues.compare(x, y);
                                        return order != null && test.test(order);
                                    }));
        }
        pairs.add(new ExprType[] {ExprType.BOOL, ExprType.BOOL});
        for (ExprType[] p : pairs) {
            add(
                    declarations,
                    bindings,
                    "_==_",
                    ExprType.BOOL.celType(),
                    p[0],
                    p[1],
                    ExprValues::equal);
            add(
                    declarations,
                    bindings,
                    "_!=_",
                    ExprType.BOOL.celType(),
                    p[0],
                    p[1],
                    (x, y) -> !ExprValues.equal(x, y));
        }
    }

    /**
     * {@code + - * /} on numbers and unary minus. A decimal with a double has no overload: money
     * never passes through double.
     */
    private static void arithmetic(
            Map<String, List<CelOverloadDecl>> declarations, List<CelFunctionBinding> bindings) {
        for (ExprType a : NUMBERS) {
            for (ExprType b : NUMBERS) {
                boolean decimal = a == ExprType.DECIMAL || b == ExprType.DECIMAL;
                boolean floating = a == ExprType.DOUBLE || b == ExprType.DOUBLE;
                if (decimal && floating) {
                    continue;
                }
                ExprType result =
                        decimal ? ExprType.DECIMAL : floating ? ExprType.DOUBLE : ExprType.INT;
                ARITHMETIC_OPERATORS.forEach(
                        (function, op) ->
                                add(
                                        declarations,
                                        bindings,
                                        function,
                                        result.celType(),
                                        a,
                                        b,
                                        (x, y) -> ExprValues.arithmetic(op, x, y)));
            }
            String id = "negate_" + a.name().toLowerCase(Locale.ROOT);
            declarations
                    .computeIfAbsent("-_", k -> new ArrayList<>())
                    .add(CelOverloadDecl.newGlobalOverload(id, a.celType(), a.celType()));
            bindings.add(CelFunctionBinding.from(id, List.of(a.javaClass()), args -> negate(args)));
        }
    }

    /**
     * {@code x in [..]}: equality as {@code ==} defines it, so a number is found in a list of
     * numbers of another type.
     */
    private static void membership(
            Map<String, List<CelOverloadDecl>> declarations, List<CelFunctionBinding> bindings) {
        for (ExprType t : ExprType.values()) {
            addMembership(declarations, bindings, t, t);
        }
        for (ExprType a : NUMBERS) {
            for (ExprType b : NUMBERS) {
                if (a != b) {
                    addMembership(declarations, bindings, a, b);
                }
            }
        }
    }

    private static void addMembership(
            Map<String, List<CelOverloadDecl>> declarations,
            List<CelFunctionBinding> bindings,
            ExprType value,
            ExprType element) {
        String id =
                "in_"
                        + value.name().toLowerCase(Locale.ROOT)
                        + "_list_"
                        + element.name().toLowerCase(Locale.ROOT);
        declarations
                .computeIfAbsent("@in", k -> new ArrayList<>())
                .add(
                        CelOverloadDecl.newGlobalOverload(
                                id,
                                SimpleType.BOOL,
                                value.celType(),
                                ListType.create(element.celType())));
        bindings.add(
                CelFunctionBinding.from(
                        id,
                        List.of(value.javaClass(), List.class),
                        args -> contains((List<?>) args[1], args[0])));
    }

    private static Object negate(Object[] args) {
        return ExprValues.negate(args[0]);
    }

    private static boolean contains(List<?> list, Object value) {
        for (Object element : list) {
            if (ExprValues.equal(value, element)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void add(
            Map<String, List<CelOverloadDecl>> declarations,
            List<CelFunctionBinding> bindings,
            String function,
            CelType result,
            ExprType a,
            ExprType b,
            CelFunctionOverload.Binary<Object, Object> implementation) {
        String id =
                OVERLOAD_NAMES.get(function)
                        + "_"
                        + a.name().toLowerCase(Locale.ROOT)
                        + "_"
                        + b.name().toLowerCase(Locale.ROOT);
        declarations
                .computeIfAbsent(function, k -> new ArrayList<>())
                .add(CelOverloadDecl.newGlobalOverload(id, result, a.celType(), b.celType()));
        bindings.add(
                CelFunctionBinding.from(
                        id,
                        (Class<Object>) (Class<?>) a.javaClass(),
                        (Class<Object>) (Class<?>) b.javaClass(),
                        implementation));
    }
}
