package io.fraudcep.rules;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * A rule parameter's value with its type, as written in the rule file: an integer ({@code 3}), an
 * exact decimal ({@code 5.00}, {@code 0.80}), a duration ({@code 90d}, {@code PT10M}), a string or
 * a boolean.
 *
 * @param kind the type
 * @param value Long, BigDecimal, Duration, String or Boolean, after the kind
 * @param text the value as written (for explain and the canonical form)
 */
public record ParamValue(Kind kind, Object value, String text) implements Serializable {

    /** The types a parameter can have. */
    public enum Kind {
        INT,
        DECIMAL,
        DURATION,
        STRING,
        BOOL
    }

    public static ParamValue integer(long v) {
        return new ParamValue(Kind.INT, v, Long.toString(v));
    }

    public static ParamValue decimal(BigDecimal v) {
        return new ParamValue(Kind.DECIMAL, v, v.toPlainString());
    }

    public static ParamValue duration(Duration v, String text) {
        return new ParamValue(Kind.DURATION, v, text);
    }

    public static ParamValue string(String v) {
        return new ParamValue(Kind.STRING, v, v);
    }

    public static ParamValue bool(boolean v) {
        return new ParamValue(Kind.BOOL, v, Boolean.toString(v));
    }
}
