package io.fraudcep.rules.expr;

/**
 * An expression that cannot be compiled: a syntax error, an unknown or invisible name, a type
 * error, or a {@code where}/{@code having} that is not a condition. The message speaks the rule
 * language, never CEL's internal names.
 */
public final class ExprException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String message;
    private final int column;

    /**
     * @param message what is wrong, in the rule language's terms
     * @param column 1-based column in the expression (character offset + 1 when it spans lines), or
     *     0 when the error concerns the whole expression
     */
    public ExprException(String message, int column) {
        super(column > 0 ? "column " + column + ": " + message : message);
        this.message = message;
        this.column = column;
    }

    /** What is wrong, without the column. */
    public String message() {
        return message;
    }

    /** 1-based column of the culprit in the expression's text, or 0 for the whole expression. */
    public int column() {
        return column;
    }
}
