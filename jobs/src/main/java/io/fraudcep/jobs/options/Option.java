package io.fraudcep.jobs.options;

import io.fraudcep.rules.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * One typed command-line option: its name, a description, a default (or required), and a parser
 * that validates the value and explains what is wrong.
 *
 * @param <T> the value type
 */
public final class Option<T> {

    private final String name;
    private final String valueHint;
    private final String description;
    private final T defaultValue;
    private final boolean required;
    private final boolean flag;
    private final Function<String, T> parser;
    private final String removal;

    private Option(
            String name,
            String valueHint,
            String description,
            T defaultValue,
            boolean required,
            boolean flag,
            Function<String, T> parser) {
        this(name, valueHint, description, defaultValue, required, flag, parser, null);
    }

    private Option(
            String name,
            String valueHint,
            String description,
            T defaultValue,
            boolean required,
            boolean flag,
            Function<String, T> parser,
            String removal) {
        this.name = name;
        this.valueHint = valueHint;
        this.description = description;
        this.defaultValue = defaultValue;
        this.required = required;
        this.flag = flag;
        this.parser = parser;
        this.removal = removal;
    }

    public static Option<String> text(String name, String defaultValue, String description) {
        return new Option<>(
                name, "TEXT", description, defaultValue, false, false, Option::notBlank);
    }

    public static Option<String> requiredText(String name, String hint, String description) {
        return new Option<>(name, hint, description, null, true, false, Option::notBlank);
    }

    private static String notBlank(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v;
    }

    public static Option<Duration> duration(
            String name, Duration defaultValue, String description) {
        return new Option<>(
                name, "DURATION", description, defaultValue, false, false, Option::parseDuration);
    }

    /** A duration that may be zero (e.g. an out-of-orderness bound for ordered producers). */
    public static Option<Duration> nonNegativeDuration(
            String name, Duration defaultValue, String description) {
        return new Option<>(
                name,
                "DURATION",
                description,
                defaultValue,
                false,
                false,
                v -> {
                    if (v.trim().matches("0+(ms|s|m|h|d)?")) {
                        return Duration.ZERO;
                    }
                    return parseDuration(v);
                });
    }

    public static Option<Integer> positiveInt(
            String name, Integer defaultValue, String description) {
        return new Option<>(
                name,
                "N",
                description,
                defaultValue,
                false,
                false,
                v -> {
                    int n = wholeNumber(v);
                    if (n <= 0) {
                        throw new IllegalArgumentException("must be positive, not " + n);
                    }
                    return n;
                });
    }

    /** A whole number that may be zero (e.g. a count of retries). */
    public static Option<Integer> nonNegativeInt(
            String name, Integer defaultValue, String description) {
        return new Option<>(
                name,
                "N",
                description,
                defaultValue,
                false,
                false,
                v -> {
                    int n = wholeNumber(v);
                    if (n < 0) {
                        throw new IllegalArgumentException("must not be negative, not " + n);
                    }
                    return n;
                });
    }

    private static int wholeNumber(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, not '" + v + "'");
        }
    }

    /** A file that must exist and be readable. */
    public static Option<Path> existingFile(String name, String description) {
        return new Option<>(
                name,
                "FILE",
                description,
                null,
                false,
                false,
                v -> {
                    Path p = Path.of(v);
                    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                        throw new IllegalArgumentException("'" + v + "' is not a readable file");
                    }
                    return p;
                });
    }

    /** A path that need not exist yet. */
    public static Option<Path> path(String name, String hint, String description) {
        return new Option<>(name, hint, description, null, false, false, Path::of);
    }

    public static Option<Boolean> flag(String name, String description) {
        return new Option<>(name, null, description, false, false, true, v -> true);
    }

    /** One of the enum's constants, written lower-case with dashes (exactly-once). */
    public static <E extends Enum<E>> Option<E> choice(
            String name, Class<E> type, E defaultValue, String description) {
        StringBuilder hint = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            hint.append(hint.length() == 0 ? "" : "|").append(wireName(e));
        }
        return new Option<>(
                name,
                hint.toString(),
                description,
                defaultValue,
                false,
                false,
                v -> {
                    for (E e : type.getEnumConstants()) {
                        if (wireName(e).equals(v.trim().toLowerCase(Locale.ROOT))) {
                            return e;
                        }
                    }
                    throw new IllegalArgumentException(
                            "must be one of " + hint + ", not '" + v + "'");
                });
    }

    /** Any value type with a custom parser. */
    public static <T> Option<T> custom(
            String name,
            String hint,
            T defaultValue,
            String description,
            Function<String, T> parser) {
        return new Option<>(name, hint, description, defaultValue, false, false, parser);
    }

    /**
     * An option that no longer exists: giving it, with or without a value, is a usage error that
     * says what to do instead; {@code --help} does not list it.
     *
     * @param instead what replaced it, e.g. "was replaced by --rules"
     */
    public static Option<Void> removed(String name, String instead) {
        return new Option<>(
                name,
                null,
                instead,
                null,
                false,
                false,
                v -> {
                    throw new IllegalArgumentException(instead);
                },
                instead);
    }

    public static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Duration parseDuration(String v) {
        return Durations.parse(v);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return required;
    }

    public boolean isFlag() {
        return flag;
    }

    /** True for an option that was removed ({@link #removed}). */
    public boolean isRemoved() {
        return removal != null;
    }

    /** The usage error of a removed option. */
    UsageException removedError() {
        return new UsageException("--" + name + " " + removal);
    }

    String valueHint() {
        return valueHint;
    }

    String defaultText() {
        if (defaultValue == null) {
            return required ? "required" : "none";
        }
        if (defaultValue instanceof Duration d) {
            return Durations.format(d);
        }
        if (defaultValue instanceof Enum<?> e) {
            return wireName(e);
        }
        return String.valueOf(defaultValue);
    }

    T parse(String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
    }
}
