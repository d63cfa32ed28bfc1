package io.fraudcep.rules;

import java.io.Serializable;
import java.util.Map;

/**
 * A step's {@code times} with its parameters resolved: {@code n} (exactly), {@code n+} (at least),
 * {@code n..m}. Remembers which {@code $param} each bound was written with, so that explanations
 * name it and a changed parameter value is applied; two quantifiers are equal when their bounds
 * are.
 *
 * @param min at least 1
 * @param max at least min; {@link #UNBOUNDED} for {@code n+}
 * @param minParam the parameter the lower bound was written with, or null for a number
 * @param maxParam the parameter the upper bound was written with, or null
 */
public record Quantifier(int min, int max, String minParam, String maxParam)
        implements Serializable {

    public static final int UNBOUNDED = Integer.MAX_VALUE;
    public static final Quantifier ONE = new Quantifier(1, 1);

    public Quantifier {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("times must satisfy 1 <= min <= max");
        }
    }

    /** Bounds written as numbers. */
    public Quantifier(int min, int max) {
        this(min, max, null, null);
    }

    public boolean allows(int count) {
        return count >= min && count <= max;
    }

    /** This quantifier with the bounds that name a parameter read again from {@code params}. */
    public Quantifier resolve(Map<String, ParamValue> params) {
        int newMin = minParam == null ? min : bound(params, minParam);
        int newMax = maxParam == null ? max : bound(params, maxParam);
        return new Quantifier(newMin, newMax, minParam, maxParam);
    }

    private static int bound(Map<String, ParamValue> params, String name) {
        ParamValue p = params.get(name);
        if (p == null || p.kind() != ParamValue.Kind.INT) {
            throw new IllegalArgumentException("times needs $" + name + " to be a whole number");
        }
        return Math.toIntExact((Long) p.value());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantifier q && q.min == min && q.max == max;
    }

    @Override
    public int hashCode() {
        return 31 * min + max;
    }

    @Override
    public String toString() {
        if (min == max) {
            return Integer.toString(min);
        }
        return max == UNBOUNDED ? min + "+" : min + ".." + max;
    }
}
