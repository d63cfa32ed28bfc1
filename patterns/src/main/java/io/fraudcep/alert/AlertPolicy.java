package io.fraudcep.alert;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the decider needs of a pattern to turn its detections into alerts.
 *
 * @param patternId the pattern
 * @param severity its alerts' severity
 * @param window its window, also its suppression interval
 * @param version the version of its parameters in force
 */
public record AlertPolicy(String patternId, Severity severity, Duration window, String version)
        implements Serializable {}
