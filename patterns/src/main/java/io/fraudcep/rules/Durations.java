package io.fraudcep.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as rule files write them: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 6h}, {@code
 * 90d} or ISO-8601 ({@code PT10M}); their shortest exact text; and their plain English reading.
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern ISO =
            Pattern.compile("P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,9})?S)?)?");
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private Durations() {}

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Duration d;
        Matcher m = SHORT.matcher(t);
        try {
            if (m.matches()) {
                d = shortForm(Long.parseLong(m.group(1)), m.group(2));
            } else if (ISO.matcher(t).matches()) {
                d = Duration.parse(t);
            } else {
                throw new IllegalArgumentException(
                        "expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not '"
                                + t
                                + "'");
            }
        } catch (ArithmeticException | DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not '" + t + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expected a positive duration, not '" + t + "'");
        }
        return d;
    }

    /** True if the text is written as a duration: 250ms, 30s, 10m, 6h, 90d or ISO-8601. */
    public static boolean looksLikeDuration(String text) {
        String t = text.trim();
        return SHORT.matcher(t).matches() || (ISO.matcher(t).matches() && t.matches(".*\\d.*"));
    }

    private static Duration shortForm(long n, String unit) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }

    /** The shortest exact text: 90d, 6h, 10m, 30s or 250ms when whole, else ISO-8601. */
    public static String format(Duration d) {
        if (!isWholeMillis(d)) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % DAY == 0) {
            return ms / DAY + "d";
        }
        if (ms % HOUR == 0) {
            return ms / HOUR + "h";
        }
        if (ms % MINUTE == 0) {
            return ms / MINUTE + "m";
        }
        if (ms % SECOND == 0) {
            return ms / SECOND + "s";
        }
        return ms + "ms";
    }

    /**
     * In words, in its largest whole unit: "1 hour", "15 minutes", "90 days", "250 milliseconds".
     */
    public static String describe(Duration d) {
        if (!isWholeMillis(d)) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % DAY == 0) {
            return count(ms / DAY, "day");
        }
        if (ms % HOUR == 0) {
            return count(ms / HOUR, "hour");
        }
        if (ms % MINUTE == 0) {
            return count(ms / MINUTE, "minute");
        }
        if (ms % SECOND == 0) {
            return count(ms / SECOND, "second");
        }
        return count(ms, "millisecond");
    }

    private static boolean isWholeMillis(Duration d) {
        return d.getNano() % 1_000_000 == 0 && d.getSeconds() < Long.MAX_VALUE / SECOND;
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
