package io.fraudcep.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.model.EventType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of a rule: one line of JSON with a fixed key order, params sorted by name,
 * event types sorted, durations in their shortest form ({@code 15m}), decimals without trailing
 * zeros ({@code 0.80} and {@code 0.8} are one value), expressions with their whitespace collapsed,
 * and no comments. Two rules that alert alike have one canonical form, and its hash names the rule
 * in every alert's {@code patternVersion}.
 *
 * <p>What decides the alerts is in it: id, severity, window, params, steps and summary. The
 * description and the mode are not: promoting a shadow rule to active keeps its patternVersion, so
 * its shadow and active alerts can be compared.
 */
public final class RuleCanonical {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleCanonical() {}

    /** The canonical text of a rule. */
    public static String canonical(Rule rule) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", rule.id());
        r.put("severity", rule.severity().name());
        r.put("window", Durations.format(rule.window()));
        ObjectNode params = r.putObject("params");
        for (Map.Entry<String, ParamValue> p : new TreeMap<>(rule.params()).entrySet()) {
            params.put(p.getKey(), param(p.getValue()));
        }
        ArrayNode steps = r.putArray("steps");
        for (Step s : rule.steps()) {
            ObjectNode step = steps.addObject();
            step.put("name", s.name());
            List<String> types = new ArrayList<>();
            for (EventType t : s.types()) {
                types.add(t.name());
            }
            types.sort(null);
            ArrayNode typeArray = step.putArray("type");
            types.forEach(typeArray::add);
            step.put("where", expression(s.where()));
            step.put("times", s.times().toString());
            step.put("having", expression(s.having()));
            step.put("contiguity", s.strict() ? "strict" : "relaxed");
            step.put("absent", s.absent());
            step.put("for", s.forDuration() == null ? null : Durations.format(s.forDuration()));
        }
        r.put("summary", rule.summary());
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a JSON tree", e);
        }
    }

    /** The first 12 hex digits of the SHA-256 of the canonical form. */
    public static String hash(Rule rule) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(canonical(rule).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The alert's {@code patternVersion}: the rule's version and its hash, e.g. {@code
     * 2-3fa9c01b2d4e}.
     */
    public static String patternVersion(Rule rule) {
        return rule.version() + "-" + hash(rule);
    }

    private static String param(ParamValue p) {
        String kind = p.kind().name().toLowerCase(Locale.ROOT);
        switch (p.kind()) {
            case DECIMAL:
                return kind + ":" + ((BigDecimal) p.value()).stripTrailingZeros().toPlainString();
            case DURATION:
                return kind + ":" + Durations.format((Duration) p.value());
            default:
                return kind + ":" + p.value();
        }
    }

    /** Whitespace runs outside quoted text become one space; the ends are trimmed. */
    static String expression(String source) {
        if (source == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        char quote = 0;
        boolean space = false;
        for (char c : source.strip().toCharArray()) {
            if (quote == 0 && Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            b.append(c);
        }
        return b.toString();
    }
}
