package io.fraudcep.rules.history;

/**
 * A rule record that changes nothing (rules.md): unparseable, an unknown or missing field, an
 * invalid rule, or a version that does not increase. {@link #getMessage()} names the rule and the
 * field: {@code rule CARD_TESTING, field rule.steps[1].where: unknown name 'amont'}.
 */
public class RuleRecordException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final String field;
    private final String reason;

    public RuleRecordException(String ruleId, String field, String message) {
        super(describe(ruleId, field, message));
        this.ruleId = ruleId;
        this.field = field;
        this.reason = message;
    }

    /** The rule id as far as it could be read, or null. */
    public String ruleId() {
        return ruleId;
    }

    /** The offending field ({@code ruleVersion}, {@code rule.window}, ...), or null. */
    public String field() {
        return field;
    }

    /** What is wrong, without the rule and the field: the message's last part. */
    public String reason() {
        return reason;
    }

    /**
     * The same rejection naming {@code id} as the rule, for a record whose value does not say which
     * rule it is (not JSON, no ruleId) but whose key does.
     */
    public RuleRecordException withRuleId(String id) {
        RuleRecordException named = new RuleRecordException(id, field, reason);
        named.setStackTrace(getStackTrace());
        return named;
    }

    private static String describe(String ruleId, String field, String message) {
        StringBuilder b = new StringBuilder();
        if (ruleId != null) {
            b.append("rule ").append(ruleId).append(field != null ? ", " : ": ");
        }
        if (field != null) {
            b.append("field ").append(field).append(": ");
        }
        return b.append(message).toString();
    }
}
