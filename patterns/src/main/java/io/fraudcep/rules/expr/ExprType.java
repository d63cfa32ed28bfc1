package io.fraudcep.rules.expr;

import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * The types of the expression language, with the CEL type that carries each through CEL's type
 * checker and the Java class of its values at run time. Money and decimal literals are exact
 * decimals (an opaque CEL type, so CEL never turns them into doubles); durations and timestamps are
 * {@code java.time} values.
 */
enum ExprType {
    DECIMAL("decimal", OpaqueType.create("decimal"), BigDecimal.class),
    INT("integer", SimpleType.INT, Long.class),
    DOUBLE("double", SimpleType.DOUBLE, Double.class),
    STRING("string", SimpleType.STRING, String.class),
    BOOL("boolean", SimpleType.BOOL, Boolean.class),
    DURATION("duration", OpaqueType.create("duration"), Duration.class),
    TIMESTAMP("timestamp", OpaqueType.create("timestamp"), Instant.class);

    private final String userName;
    private final CelType celType;
    private final Class<?> javaClass;

    ExprType(String userName, CelType celType, Class<?> javaClass) {
        this.userName = userName;
        this.celType = celType;
        this.javaClass = javaClass;
    }

    /** The type's name in messages to rule authors. */
    String userName() {
        return userName;
    }

    CelType celType() {
        return celType;
    }

    Class<?> javaClass() {
        return javaClass;
    }

    /** True for the number types: decimal, integer and double. */
    boolean numeric() {
        return this == DECIMAL || this == INT || this == DOUBLE;
    }

    /** True if values of the type have an order ({@code <}, {@code min}, {@code max}). */
    boolean ordered() {
        return this != BOOL;
    }

    /** The type whose CEL type has this name, or null (a list or a CEL-internal type). */
    static ExprType ofCelName(String celName) {
        for (ExprType t : values()) {
            if (t.celType.name().equals(celName)) {
                return t;
            }
        }
        return null;
    }
}
