package io.fraudcep.rules;

/**
 * One mistake in a rule file, where it is and what is wrong. {@link #toString()} is the line a user
 * reads: {@code rules.yaml:12: rule CARD_TESTING, field steps[1].where: unknown name 'amont'}.
 *
 * @param file the file's name as given to the parser
 * @param line 1-based line of the offending value, or 0 if unknown
 * @param ruleId the rule's id as written, or null for an error outside a rule (or before its id is
 *     known)
 * @param field the path of the offending field inside the rule (or the file, if ruleId is null),
 *     e.g. {@code steps[1].where}, or null
 * @param message what is wrong, and what is expected
 */
public record RuleError(String file, int line, String ruleId, String field, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (ruleId != null) {
            b.append("rule ").append(ruleId);
            b.append(field != null ? ", " : ": ");
        }
        if (field != null) {
            b.append("field ").append(field).append(": ");
        }
        return b.append(message).toString();
    }
}
