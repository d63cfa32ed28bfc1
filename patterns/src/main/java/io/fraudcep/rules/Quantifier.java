package io.fraudcep.rules;

import java.io.Serializable;

/**
 * A step's {@code times} with its parameters resolved: {@code n} (exactly), {@code n+} (at least),
 * {@code n..m}.
 *
 * @param min at least 1
 * @param max at least min; {@link #UNBOUNDED} for {@code n+}
 */
public record Quantifier(int min, int max) implements Serializable {

    public static final int UNBOUNDED = Integer.MAX_VALUE;
    public static final Quantifier ONE = new Quantifier(1, 1);

    public Quantifier {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("times must satisfy 1 <= min <= max");
        }
    }

    public boolean allows(int count) {
        return count >= min && count <= max;
    }

    @Override
    public String toString() {
        if (min == max) {
            return Integer.toString(min);
        }
        return max == UNBOUNDED ? min + "+" : min + ".." + max;
    }
}
