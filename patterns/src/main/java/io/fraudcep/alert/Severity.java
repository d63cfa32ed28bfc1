package io.fraudcep.alert;

/** Alert severities of alerts.md, lowest first. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
