package io.fraudcep.patterns;

import io.fraudcep.alert.AlertPolicy;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.Money;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of one pattern in force: its id, type, severity, window, typed parameters and
 * version. Built and validated by {@link PatternCatalogue}; parameter values are held in their
 * canonical text and read through the typed getters.
 *
 * @param id the pattern id written in alerts
 * @param type the pattern type, i.e. which class implements it
 * @param enabled whether the pattern runs
 * @param severity severity of its alerts
 * @param window its window: matched events are less than this apart; also its suppression
 * @param parameters canonical parameter values by name, sorted
 * @param version the version of these settings, written in alerts as {@code patternVersion}
 */
public record PatternConfig(
        String id,
        String type,
        boolean enabled,
        Severity severity,
        Duration window,
        Map<String, String> parameters,
        String version)
        implements Serializable {

    public PatternConfig {
        parameters = new TreeMap<>(parameters);
    }

    public long count(String name) {
        return Long.parseLong(get(name));
    }

    public long moneyCents(String name) {
        return Money.parseCents(get(name));
    }

    public BigDecimal decimal(String name) {
        return new BigDecimal(get(name));
    }

    public Duration duration(String name) {
        return ParameterSpec.parseDuration(get(name));
    }

    private String get(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("pattern " + id + " has no parameter " + name);
        }
        return value;
    }

    public AlertPolicy alertPolicy() {
        return new AlertPolicy(id, severity, window, version);
    }
}
