package io.fraudcep.rules;

/**
 * What a rule's alerts do (rules.md): {@code active} (default), {@code shadow}, {@code disabled}.
 */
public enum RuleMode {
    ACTIVE,
    SHADOW,
    DISABLED
}
