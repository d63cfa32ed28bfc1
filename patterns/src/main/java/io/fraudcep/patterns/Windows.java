package io.fraudcep.patterns;

import java.time.Duration;
import java.time.Instant;

/** The exact window arithmetic of patterns.md, on nanosecond event times. */
public final class Windows {

    private Windows() {}

    /** "Less than W apart": {@code last - first < window}, exactly. */
    public static boolean lessThanApart(Instant first, Instant last, Duration window) {
        return Duration.between(first, last).compareTo(window) < 0;
    }

    /** The CEP {@code within} for a window: one millisecond more, see {@link CepFraudPattern}. */
    public static Duration cepWithin(Duration window) {
        return window.plusMillis(1);
    }

    /** A short human form of an interval for summaries, e.g. "4 min 30 s" or "2.5 s". */
    public static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.3f s", ms / 1000.0);
        }
        long totalSeconds = ms / 1000;
        long h = totalSeconds / 3600;
        long m = (totalSeconds % 3600) / 60;
        long s = totalSeconds % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append(" h");
        }
        if (m > 0) {
            b.append(b.length() > 0 ? " " : "").append(m).append(" min");
        }
        if (s > 0) {
            b.append(b.length() > 0 ? " " : "").append(s).append(" s");
        }
        return b.toString();
    }
}
