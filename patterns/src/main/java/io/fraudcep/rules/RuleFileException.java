package io.fraudcep.rules;

import java.util.List;

/**
 * A rule file that cannot be used, with every error found in it (not only the first). The message
 * lists them one per line, in file order.
 */
public class RuleFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleError> errors;

    public RuleFileException(List<RuleError> errors) {
        super(message(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a rule file exception needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The errors in file order. */
    public List<RuleError> errors() {
        return errors;
    }

    private static String message(List<RuleError> errors) {
        StringBuilder b = new StringBuilder();
        for (RuleError e : errors) {
            b.append(b.length() == 0 ? "" : "\n").append(e);
        }
        return b.toString();
    }
}
