package io.fraudcep.rules.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * Comparison and arithmetic on the language's values. Numbers compare exactly across types: an
 * integer or a double meets a decimal as the exact decimal it is ({@code new BigDecimal(double)}),
 * so {@code 0.8 * 2000.01} is 1600.008 and a double distance meets a decimal threshold without
 * rounding. Decimal arithmetic is exact except division, which rounds to {@link
 * MathContext#DECIMAL128}. A decimal never meets a double in arithmetic: the type checker refuses
 * it, so money never passes through binary floating point.
 */
final class ExprValues {

    private ExprValues() {}

    /** An arithmetic operator. */
    enum Arithmetic {
        ADD,
        SUBTRACT,
        MULTIPLY,
        DIVIDE
    }

    /**
     * The order of two values of the same or of two number types: negative, zero or positive; null
     * if they are unordered (a NaN double).
     */
    static Integer compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof Duration x && b instanceof Duration y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return Integer.signum(x.compareTo(y));
        }
        throw new IllegalArgumentException("cannot compare " + a + " with " + b);
    }

    /** True if the two values are equal: numbers by value across types, others by equals. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            Integer order = compareNumbers(x, y);
            return order != null && order == 0;
        }
        return a.equals(b);
    }

    /** {@code a op b} for numbers: integer, double or exact decimal after the operand types. */
    static Object arithmetic(Arithmetic op, Object a, Object b) {
        if (a instanceof BigDecimal || b instanceof BigDecimal) {
            return decimal(op, toDecimal((Number) a), toDecimal((Number) b));
        }
        if (a instanceof Double || b instanceof Double) {
            return floating(op, ((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        return integer(op, (Long) a, (Long) b);
    }

    /** {@code -a}. */
    static Object negate(Object a) {
        if (a instanceof BigDecimal x) {
            return x.negate();
        }
        if (a instanceof Double x) {
            return -x;
        }
        return Math.negateExact((Long) a);
    }

    private static Integer compareNumbers(Number a, Number b) {
        if (isNaN(a) || isNaN(b)) {
            return null;
        }
        if (a instanceof Double x && b instanceof Double y) {
            // Not Double.compare: -0.0 and 0.0 are equal here.
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        if (infinity(a) != 0 || infinity(b) != 0) {
            return Integer.signum(infinity(a) - infinity(b));
        }
        return exact(a).compareTo(exact(b));
    }

    private static boolean isNaN(Number n) {
        return n instanceof Double d && d.isNaN();
    }

    /** +1 for positive infinity, -1 for negative infinity, 0 for a finite number. */
    private static int infinity(Number n) {
        return n instanceof Double d && d.isInfinite() ? (d > 0 ? 1 : -1) : 0;
    }

    private static BigDecimal exact(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double d) {
            return new BigDecimal(d);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static BigDecimal toDecimal(Number n) {
        return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
    }

    private static BigDecimal decimal(Arithmetic op, BigDecimal a, BigDecimal b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUBTRACT -> a.subtract(b);
            case MULTIPLY -> a.multiply(b);
            case DIVIDE -> a.divide(b, MathContext.DECIMAL128);
        };
    }

    private static double floating(Arithmetic op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
        };
    }

    private static long integer(Arithmetic op, long a, long b) {
        return switch (op) {
            case ADD -> Math.addExact(a, b);
            case SUBTRACT -> Math.subtractExact(a, b);
            case MULTIPLY -> Math.multiplyExact(a, b);
            case DIVIDE -> {
                if (a == Long.MIN_VALUE && b == -1) {
                    throw new ArithmeticException("integer overflow");
                }
                yield a / b;
            }
        };
    }
}
