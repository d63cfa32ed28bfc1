package io.fraudcep.patterns;

import io.fraudcep.alert.Severity;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A pattern type of the catalogue: its defaults (patterns.md), its parameters and how to build it
 * from validated settings.
 *
 * @param type the type name, also the default id
 * @param severity default severity
 * @param window default window
 * @param description one sentence: what fires it
 * @param parameters the parameters besides the window, with defaults
 * @param factory builds the pattern from validated settings
 */
public record PatternDefinition(
        String type,
        Severity severity,
        Duration window,
        String description,
        List<ParameterSpec> parameters,
        Function<PatternConfig, FraudPattern> factory) {}
