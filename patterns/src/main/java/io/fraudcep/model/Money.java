package io.fraudcep.model;

import java.math.BigDecimal;

/** Exact money arithmetic on minor units (cents). Amounts never pass through {@code double}. */
public final class Money {

    /** The largest amount the model holds, in units: well beyond any real transaction. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000000000.00");

    private Money() {}

    /**
     * Parses a decimal amount with at most two fraction digits into cents.
     *
     * @throws IllegalArgumentException if the text is not such a decimal
     */
    public static long parseCents(String decimal) {
        return toCents(new BigDecimal(decimal));
    }

    /**
     * Converts an exact decimal with at most two fraction digits (after dropping trailing zeros)
     * into cents.
     *
     * @throws IllegalArgumentException if it has more fraction digits or is too large
     */
    public static long toCents(BigDecimal amount) {
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("more than 2 fraction digits: " + amount);
        }
        if (amount.abs().compareTo(MAX_AMOUNT) > 0) {
            throw new IllegalArgumentException("too large: " + amount);
        }
        return amount.movePointRight(2).longValueExact();
    }

    /** Cents as a plain decimal with exactly two fraction digits, e.g. 250000 -> "2500.00". */
    public static String format(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /** Cents as an exact decimal with scale 2. */
    public static BigDecimal toDecimal(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
