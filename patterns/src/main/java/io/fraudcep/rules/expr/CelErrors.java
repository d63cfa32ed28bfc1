package io.fraudcep.rules.expr;

import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import io.fraudcep.rules.expr.ExprTokenizer.Token;
import io.fraudcep.rules.expr.ExprTranslator.Translation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns CEL's parse and type errors on a translated expression into errors in the rule language:
 * the user's operators and type names, and the column in the user's text.
 */
final class CelErrors {

    private static final Pattern NO_OVERLOAD =
            Pattern.compile("found no matching overload for '([^']+)' applied to '\\((.*)\\)'");
    private static final Pattern MISSING = Pattern.compile("^missing '([^']+)' at");

    private static final Map<String, String> OPERATORS =
            Map.ofEntries(
                    Map.entry("_<_", "<"),
                    Map.entry("_<=_", "<="),
                    Map.entry("_>_", ">"),
                    Map.entry("_>=_", ">="),
                    Map.entry("_==_", "=="),
                    Map.entry("_!=_", "!="),
                    Map.entry("_+_", "+"),
                    Map.entry("_-_", "-"),
                    Map.entry("_*_", "*"),
                    Map.entry("_/_", "/"),
                    Map.entry("-_", "-"),
                    Map.entry("!_", "not"),
                    Map.entry("_&&_", "and"),
                    Map.entry("_||_", "or"),
                    Map.entry("@in", "in"));

    private CelErrors() {}

    /** The first of CEL's errors, in the rule language. */
    static ExprException translate(CelValidationException e, Translation t, String source) {
        CelIssue issue = e.getErrors().get(0);
        int column = t.sourceColumn(issue.getSourceLocation().getColumn());
        Matcher overload = NO_OVERLOAD.matcher(issue.getMessage());
        if (overload.find()) {
            return new ExprException(
                    typeError(overload.group(1), types(overload.group(2))), column);
        }
        if (issue.getExprId() != 0) {
            // A check error this translation never provokes; say it as CEL does, without names.
            return new ExprException("invalid expression: " + issue.getMessage(), column);
        }
        return new ExprException(syntaxError(issue.getMessage(), column, t, source), column);
    }

    private static String typeError(String function, List<String> types) {
        String op = OPERATORS.getOrDefault(function, function);
        String a = types.get(0);
        String b = types.size() > 1 ? types.get(1) : null;
        switch (op) {
            case "<", "<=", ">", ">=", "==", "!=":
                return "cannot compare " + a + " with " + b + " (" + op + ")";
            case "+", "-", "*", "/":
                if (b == null) {
                    return "cannot negate a " + a;
                }
                if ((a.equals("decimal") && b.equals("double"))
                        || (a.equals("double") && b.equals("decimal"))) {
                    return "cannot apply "
                            + op
                            + " to a decimal and a double: money never passes through double";
                }
                return "cannot apply " + op + " to " + a + " and " + b;
            case "and", "or":
                return op + " needs a condition on each side, not " + a + " and " + b;
            case "not":
                return "not needs a condition, not a "
                        + a
                        + " (to negate a comparison, write not (a == b))";
            case "in":
                return b.startsWith("list of ")
                        ? "cannot look for a " + a + " in a " + b
                        : "in needs a list after it, e.g. country in ['DE', 'FR']";
            default:
                return "cannot apply " + op + " to " + String.join(", ", types);
        }
    }

    /** CEL's argument types, top-level comma separated, as the rule language names them. */
    private static List<String> types(String celTypes) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= celTypes.length(); i++) {
            char c = i < celTypes.length() ? celTypes.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(typeName(celTypes.substring(start, i).trim()));
                start = i + 1;
            }
        }
        return out;
    }

    private static String typeName(String celType) {
        if (celType.startsWith("list(") && celType.endsWith(")")) {
            return "list of " + typeName(celType.substring(5, celType.length() - 1));
        }
        ExprType t = ExprType.ofCelName(celType);
        if (t != null) {
            return t.userName();
        }
        return celType.equals("dyn") ? "mixed values" : celType;
    }

    private static String syntaxError(String celMessage, int column, Translation t, String source) {
        Matcher missing = MISSING.matcher(celMessage);
        Token at = tokenAt(t, column);
        if (missing.find()) {
            return "syntax error: missing " + userOperator(missing.group(1));
        }
        if (at == null || at.kind() == ExprTokenizer.Kind.END) {
            return "syntax error: the expression ends too early";
        }
        String text = source.substring(at.column() - 1, at.column() - 1 + at.length());
        return "syntax error: unexpected " + text;
    }

    private static String userOperator(String cel) {
        return switch (cel) {
            case "&&" -> "and";
            case "||" -> "or";
            case "!" -> "not";
            default -> cel;
        };
    }

    private static Token tokenAt(Translation t, int column) {
        for (Token token : t.tokens()) {
            if (token.column() == column) {
                return token;
            }
        }
        return null;
    }
}
