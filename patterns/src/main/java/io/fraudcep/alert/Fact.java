package io.fraudcep.alert;

import io.fraudcep.model.EventTime;
import io.fraudcep.model.Money;
import java.time.Instant;
import java.util.List;

/**
 * One typed piece of evidence of an alert (an amount, a count, a distance, a device...). Held as
 * text with its JSON type so that it serializes with Flink's POJO serializer and prints exactly.
 *
 * @param name the evidence key, camelCase
 * @param type how the value is written in JSON
 * @param value the value's exact text (a decimal, an integer, a string, an ISO instant, or a list
 *     joined by {@link #LIST_SEPARATOR})
 */
public record Fact(String name, Type type, String value) {

    /** Separates the items of a {@link Type#STRING_LIST} value. */
    public static final char LIST_SEPARATOR = '\u001f';

    /** The JSON type of a fact's value. */
    public enum Type {
        /** A JSON number written with its exact decimal text (money, distances, speeds). */
        DECIMAL,
        /** A JSON integer. */
        INTEGER,
        /** A JSON string. */
        STRING,
        /** A JSON boolean. */
        BOOLEAN,
        /** A JSON array of strings. */
        STRING_LIST
    }

    public static Fact money(String name, long cents) {
        return new Fact(name, Type.DECIMAL, Money.format(cents));
    }

    public static Fact decimal(String name, java.math.BigDecimal value) {
        return new Fact(name, Type.DECIMAL, value.toPlainString());
    }

    public static Fact integer(String name, long value) {
        return new Fact(name, Type.INTEGER, Long.toString(value));
    }

    public static Fact text(String name, String value) {
        return new Fact(name, Type.STRING, value);
    }

    public static Fact time(String name, Instant value) {
        return new Fact(name, Type.STRING, EventTime.format(value));
    }

    public static Fact bool(String name, boolean value) {
        return new Fact(name, Type.BOOLEAN, Boolean.toString(value));
    }

    public static Fact strings(String name, List<String> values) {
        return new Fact(
                name, Type.STRING_LIST, String.join(String.valueOf(LIST_SEPARATOR), values));
    }
}
