package io.fraudcep.rules.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens: identifiers, {@code $parameters}, integer and decimal literals,
 * string literals in single or double quotes, and operators. It knows no grammar; CEL parses the
 * translated text. Errors name the 1-based column of the offending character.
 */
final class ExprTokenizer {

    /** The kinds of token. */
    enum Kind {
        IDENT,
        PARAM,
        INT,
        DECIMAL,
        STRING,
        OPERATOR,
        END
    }

    /**
     * A token.
     *
     * @param kind what it is
     * @param text for a string literal its value, for a parameter its name without {@code $}, else
     *     the text as written
     * @param column 1-based column of its first character
     * @param length its length in the source
     */
    record Token(Kind kind, String text, int column, int length) {
        boolean is(String operator) {
            return kind == Kind.OPERATOR && text.equals(operator);
        }

        boolean isIdent(String name) {
            return kind == Kind.IDENT && text.equals(name);
        }
    }

    private static final List<String> OPERATORS =
            List.of(
                    "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",",
                    ".");

    private final String source;
    private int pos;

    private ExprTokenizer(String source) {
        this.source = source;
    }

    /** The tokens of {@code source}, ending with one {@link Kind#END} token. */
    static List<Token> tokenize(String source) throws ExprException {
        return new ExprTokenizer(source).all();
    }

    private List<Token> all() throws ExprException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
                pos++;
            }
            if (pos == source.length()) {
                tokens.add(new Token(Kind.END, "", pos + 1, 0));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() throws ExprException {
        int start = pos;
        char c = source.charAt(pos);
        if (identStart(c)) {
            return new Token(Kind.IDENT, identifier(), start + 1, pos - start);
        }
        if (c == '$') {
            pos++;
            if (pos == source.length() || !identStart(source.charAt(pos))) {
                throw new ExprException("$ must be followed by a parameter name", start + 1);
            }
            String name = identifier();
            return new Token(Kind.PARAM, name, start + 1, pos - start);
        }
        if (isDigit(c)) {
            return number();
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        for (String op : OPERATORS) {
            if (source.startsWith(op, pos)) {
                pos += op.length();
                if (op.equals(".") && pos < source.length() && isDigit(source.charAt(pos))) {
                    throw new ExprException(
                            "a decimal needs a digit before its point (0.5, not .5)", start + 1);
                }
                return new Token(Kind.OPERATOR, op, start + 1, op.length());
            }
        }
        throw new ExprException(unexpected(c), start + 1);
    }

    private static String unexpected(char c) {
        return switch (c) {
            case '=' -> "= is not a comparison: write ==";
            case '&' -> "write and instead of &&";
            case '|' -> "write or instead of ||";
            case '!' -> "write not instead of !";
            default -> "unexpected character '" + c + "'";
        };
    }

    private String identifier() {
        int start = pos;
        while (pos < source.length() && identPart(source.charAt(pos))) {
            pos++;
        }
        return source.substring(start, pos);
    }

    private Token number() throws ExprException {
        int start = pos;
        while (pos < source.length() && isDigit(source.charAt(pos))) {
            pos++;
        }
        Kind kind = Kind.INT;
        if (pos < source.length() && source.charAt(pos) == '.') {
            pos++;
            if (pos == source.length() || !isDigit(source.charAt(pos))) {
                throw new ExprException(
                        "a decimal needs a digit after its point (5.0, not 5.)", start + 1);
            }
            while (pos < source.length() && isDigit(source.charAt(pos))) {
                pos++;
            }
            kind = Kind.DECIMAL;
        }
        if (pos < source.length() && identPart(source.charAt(pos))) {
            throw new ExprException(
                    "malformed number " + source.substring(start, pos + 1), start + 1);
        }
        String text = source.substring(start, pos);
        if (kind == Kind.INT) {
            try {
                Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ExprException("integer " + text + " is too large", start + 1);
            }
        }
        return new Token(kind, text, start + 1, pos - start);
    }

    private Token string() throws ExprException {
        int start = pos;
        char quote = source.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos++);
            if (c == quote) {
                return new Token(Kind.STRING, value.toString(), start + 1, pos - start);
            }
            if (c == '\\') {
                if (pos == source.length()) {
                    break;
                }
                char escaped = source.charAt(pos++);
                if (escaped != '\\' && escaped != '\'' && escaped != '"') {
                    throw new ExprException(
                            "unknown escape \\" + escaped + " (only \\\\, \\' and \\\")", pos - 1);
                }
                c = escaped;
            }
            value.append(c);
        }
        throw new ExprException("string not closed: " + quote + " missing", start + 1);
    }

    private static boolean identStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean identPart(char c) {
        return identStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
