package io.fraudcep.sampledata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The scenarios the generator injects into users' timelines: for each pattern of patterns.md,
 * positives (the pattern must fire exactly once, at the labelled trigger event) and near misses
 * (one threshold or window just missed: the pattern must not fire). Each is labelled in {@code
 * labels.jsonl} with its pattern id, {@link #positive()} and {@link #variant()}.
 *
 * <p>{@code TYPICAL} positives draw their parameters across the pattern's valid range; {@code
 * BOUNDARY} positives sit exactly on every threshold and 1 ms inside every window.
 *
 * <p>The positives of the four example rules of rules.md ({@link #exampleRule()}) are injected only
 * on request ({@link GeneratorOptions#exampleRules()}); their label carries the rule's id. A {@code
 * MULE_THIN_FILE} positive is a {@code MONEY_MULE} match too (that rule is {@code MONEY_MULE} on a
 * new account), labelled once, as {@code MULE_THIN_FILE}.
 */
public enum Scenario {
    BRUTE_FORCE_TYPICAL("BRUTE_FORCE_LOGIN", true, "typical"),
    ACCOUNT_TAKEOVER_TYPICAL("ACCOUNT_TAKEOVER", true, "typical"),
    CARD_TESTING_TYPICAL("CARD_TESTING", true, "typical"),
    IMPOSSIBLE_TRAVEL_TYPICAL("IMPOSSIBLE_TRAVEL", true, "typical"),
    VELOCITY_TYPICAL("VELOCITY", true, "typical"),
    STRUCTURING_TYPICAL("STRUCTURING", true, "typical"),
    MONEY_MULE_TYPICAL("MONEY_MULE", true, "typical"),
    DORMANT_TYPICAL("DORMANT_ACCOUNT", true, "typical"),
    NEW_PAYEE_DRAIN_TYPICAL("NEW_PAYEE_DRAIN", true, "typical"),
    BRUTE_FORCE_BOUNDARY("BRUTE_FORCE_LOGIN", true, "boundary"),
    ACCOUNT_TAKEOVER_BOUNDARY("ACCOUNT_TAKEOVER", true, "boundary"),
    CARD_TESTING_BOUNDARY("CARD_TESTING", true, "boundary"),
    IMPOSSIBLE_TRAVEL_BOUNDARY("IMPOSSIBLE_TRAVEL", true, "boundary"),
    VELOCITY_BOUNDARY("VELOCITY", true, "boundary"),
    STRUCTURING_BOUNDARY("STRUCTURING", true, "boundary"),
    MONEY_MULE_BOUNDARY("MONEY_MULE", true, "boundary"),
    DORMANT_BOUNDARY("DORMANT_ACCOUNT", true, "boundary"),
    NEW_PAYEE_DRAIN_BOUNDARY("NEW_PAYEE_DRAIN", true, "boundary"),
    IMPOSSIBLE_TRAVEL_SAME_INSTANT("IMPOSSIBLE_TRAVEL", true, "same-instant"),

    BRUTE_FORCE_FOUR_FAILURES("BRUTE_FORCE_LOGIN", false, "four-failures"),
    BRUTE_FORCE_AT_10_MIN("BRUTE_FORCE_LOGIN", false, "five-failures-at-10-min"),
    ACCOUNT_TAKEOVER_999_99("ACCOUNT_TAKEOVER", false, "transfer-999.99"),
    ACCOUNT_TAKEOVER_KNOWN_DEVICE("ACCOUNT_TAKEOVER", false, "known-device"),
    ACCOUNT_TAKEOVER_AT_30_MIN("ACCOUNT_TAKEOVER", false, "transfer-at-30-min"),
    ACCOUNT_TAKEOVER_NO_CREDENTIAL_CHANGE("ACCOUNT_TAKEOVER", false, "no-credential-change"),
    CARD_TESTING_TWO_SMALL("CARD_TESTING", false, "two-small"),
    CARD_TESTING_SMALL_AT_5("CARD_TESTING", false, "small-at-5.00"),
    CARD_TESTING_LARGE_499_99("CARD_TESTING", false, "large-499.99"),
    CARD_TESTING_AT_15_MIN("CARD_TESTING", false, "large-at-15-min"),
    IMPOSSIBLE_TRAVEL_499_KM("IMPOSSIBLE_TRAVEL", false, "distance-499-km"),
    IMPOSSIBLE_TRAVEL_999_KMH("IMPOSSIBLE_TRAVEL", false, "speed-999-kmh"),
    IMPOSSIBLE_TRAVEL_AT_6_HOURS("IMPOSSIBLE_TRAVEL", false, "gap-6-hours"),
    VELOCITY_NINE("VELOCITY", false, "nine-outgoing"),
    VELOCITY_AT_5_MIN("VELOCITY", false, "tenth-at-5-min"),
    VELOCITY_ONE_INCOMING("VELOCITY", false, "ten-with-one-incoming"),
    STRUCTURING_8999_99("STRUCTURING", false, "deposit-8999.99"),
    STRUCTURING_10000("STRUCTURING", false, "deposit-10000.00"),
    STRUCTURING_AT_24_HOURS("STRUCTURING", false, "third-at-24-hours"),
    MONEY_MULE_79_PERCENT("MONEY_MULE", false, "passed-through-79-percent"),
    MONEY_MULE_AT_2_HOURS("MONEY_MULE", false, "reached-at-2-hours"),
    MONEY_MULE_1999_99("MONEY_MULE", false, "incoming-1999.99"),
    DORMANT_89_DAYS("DORMANT_ACCOUNT", false, "dormant-89-days"),
    DORMANT_999_99("DORMANT_ACCOUNT", false, "transfer-999.99"),
    DORMANT_AT_1_HOUR("DORMANT_ACCOUNT", false, "transfer-at-1-hour"),
    NEW_PAYEE_DRAIN_4999_99("NEW_PAYEE_DRAIN", false, "transfer-4999.99"),
    NEW_PAYEE_DRAIN_AT_10_MIN("NEW_PAYEE_DRAIN", false, "transfer-at-10-min"),
    NEW_PAYEE_DRAIN_OTHER_PAYEE("NEW_PAYEE_DRAIN", false, "other-payee"),

    CREDENTIAL_STUFFING_TYPICAL("CREDENTIAL_STUFFING", true, "typical"),
    UNREMEDIATED_TAKEOVER_TYPICAL("UNREMEDIATED_TAKEOVER", true, "typical"),
    MULE_THIN_FILE_TYPICAL("MULE_THIN_FILE", true, "typical"),
    NEW_DEVICE_PAYEE_TYPICAL("NEW_DEVICE_PAYEE", true, "typical"),
    CREDENTIAL_STUFFING_BOUNDARY("CREDENTIAL_STUFFING", true, "boundary"),
    UNREMEDIATED_TAKEOVER_BOUNDARY("UNREMEDIATED_TAKEOVER", true, "boundary"),
    MULE_THIN_FILE_BOUNDARY("MULE_THIN_FILE", true, "boundary"),
    NEW_DEVICE_PAYEE_BOUNDARY("NEW_DEVICE_PAYEE", true, "boundary");

    /** The example rules of rules.md (rules/rules-examples.yaml), which ship disabled. */
    private static final Set<String> EXAMPLE_RULES =
            Set.of(
                    "CREDENTIAL_STUFFING",
                    "UNREMEDIATED_TAKEOVER",
                    "MULE_THIN_FILE",
                    "NEW_DEVICE_PAYEE");

    private final String patternId;
    private final boolean positive;
    private final String variant;

    Scenario(String patternId, boolean positive, String variant) {
        this.patternId = patternId;
        this.positive = positive;
        this.variant = variant;
    }

    /**
     * The rule this scenario exercises: a pattern of patterns.md, e.g. {@code ACCOUNT_TAKEOVER}, or
     * an example rule of rules.md.
     */
    public String patternId() {
        return patternId;
    }

    /** True if the pattern must fire on it. */
    public boolean positive() {
        return positive;
    }

    /** Short name of the variant, e.g. {@code four-failures}. */
    public String variant() {
        return variant;
    }

    /** True if this scenario exercises one of the example rules of rules.md. */
    public boolean exampleRule() {
        return EXAMPLE_RULES.contains(patternId);
    }

    /**
     * True for scenarios whose user must be silent before them: about 90 days for {@code
     * DORMANT_ACCOUNT}, since before the log starts for {@code MULE_THIN_FILE} (a new account).
     */
    boolean isDormant() {
        return patternId.equals("DORMANT_ACCOUNT") || patternId.equals("MULE_THIN_FILE");
    }

    /**
     * Positives in the order users are assigned them, every rule before any repeats: every typical
     * one, then every boundary one, then the rest, each round in declaration order; those of the
     * example rules only with {@code exampleRules}.
     */
    public static List<Scenario> positives(boolean exampleRules) {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : values()) {
            if (s.positive && (exampleRules || !s.exampleRule())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingInt(Scenario::round));
        return out;
    }

    /** Near misses in the order users are assigned them. */
    public static List<Scenario> nearMisses() {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : values()) {
            if (!s.positive) {
                out.add(s);
            }
        }
        return out;
    }

    private int round() {
        switch (variant) {
            case "typical":
                return 0;
            case "boundary":
                return 1;
            default:
                return 2;
        }
    }
}
