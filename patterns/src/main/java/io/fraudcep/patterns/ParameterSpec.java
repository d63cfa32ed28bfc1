package io.fraudcep.patterns;

import io.fraudcep.model.Money;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named, typed parameter of a pattern, with its default and a description.
 *
 * @param name the parameter's key in the pattern configuration
 * @param type how its value is written and checked
 * @param defaultValue the default, as text in the parameter's format
 * @param description one line for the README and {@code --help}
 */
public record ParameterSpec(String name, Type type, String defaultValue, String description)
        implements Serializable {

    /** Value types of pattern parameters. */
    public enum Type {
        /** A positive whole number. */
        COUNT,
        /** A positive exact decimal amount with at most two fraction digits, e.g. 1000.00. */
        MONEY,
        /** A positive exact decimal, e.g. 0.80 or 500.0. */
        DECIMAL,
        /** A positive duration: 90d, 6h, 10m, 30s, 250ms or ISO-8601 (PT10M). */
        DURATION
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public ParameterSpec {
        canonical(type, defaultValue);
    }

    public static ParameterSpec count(String name, long defaultValue, String description) {
        return new ParameterSpec(name, Type.COUNT, Long.toString(defaultValue), description);
    }

    public static ParameterSpec money(String name, String defaultValue, String description) {
        return new ParameterSpec(name, Type.MONEY, defaultValue, description);
    }

    public static ParameterSpec decimal(String name, String defaultValue, String description) {
        return new ParameterSpec(name, Type.DECIMAL, defaultValue, description);
    }

    public static ParameterSpec duration(String name, String defaultValue, String description) {
        return new ParameterSpec(name, Type.DURATION, defaultValue, description);
    }

    /**
     * Checks a value's text against the type and returns its canonical text.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    static String canonical(Type type, String text) {
        String t = text.trim();
        switch (type) {
            case COUNT:
                long n;
                try {
                    n = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number, not '" + t + "'");
                }
                if (n <= 0) {
                    throw new IllegalArgumentException("must be positive, not " + n);
                }
                return Long.toString(n);
            case MONEY:
                BigDecimal amount = decimal(t);
                try {
                    return Money.format(Money.toCents(amount));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new IllegalArgumentException(
                            "must be an amount with at most 2 fraction digits, not '" + t + "'");
                }
            case DECIMAL:
                // 0.8, 0.80 and "0.80" are one value: one canonical text, one version hash.
                return decimal(t).stripTrailingZeros().toPlainString();
            case DURATION:
                return formatDuration(parseDuration(t));
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private static BigDecimal decimal(String t) {
        BigDecimal d;
        try {
            d = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a decimal number, not '" + t + "'");
        }
        if (d.signum() <= 0) {
            throw new IllegalArgumentException("must be positive, not " + t);
        }
        return d;
    }

    /**
     * Parses {@code 90d}, {@code 6h}, {@code 10m}, {@code 30s}, {@code 250ms} or an ISO-8601
     * duration; the result must be positive.
     */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        Duration d;
        Matcher m = SHORT_DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    d = Duration.ofMillis(n);
                    break;
                case "s":
                    d = Duration.ofSeconds(n);
                    break;
                case "m":
                    d = Duration.ofMinutes(n);
                    break;
                case "h":
                    d = Duration.ofHours(n);
                    break;
                default:
                    d = Duration.ofDays(n);
            }
        } else {
            try {
                d = Duration.parse(t);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "must be a duration like 90d, 6h, 10m, 30s, 250ms or PT10M, not '"
                                + t
                                + "'");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive duration, not '" + t + "'");
        }
        return d;
    }

    /** The shortest exact form: 90d, 6h, 10m, 30s or 250ms when whole, else ISO-8601. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (!Duration.ofMillis(ms).equals(d)) {
            return d.toString();
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
