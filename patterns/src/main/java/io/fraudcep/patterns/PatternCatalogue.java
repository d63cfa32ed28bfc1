package io.fraudcep.patterns;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.alert.AlertPolicy;
import io.fraudcep.alert.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pattern configuration in force: which patterns run, with which severity, window and
 * parameters. Read from a YAML file (the defaults ship as {@code patterns-default.yaml} and
 * reproduce patterns.md) and validated completely at start-up; every error names the pattern and
 * the parameter.
 *
 * <pre>
 * version: "1"
 * patterns:
 *   - id: VELOCITY            # the id written in alerts
 *     type: VELOCITY          # optional: the implementation, defaults to the id
 *     enabled: true
 *     severity: MEDIUM
 *     window: 5m
 *     parameters:
 *       minTransactions: 10
 * </pre>
 *
 * <p>Each pattern's {@code patternVersion} is the file's version plus a short hash of its type,
 * severity, window and parameters, so an analyst can tell which rule version fired.
 */
public final class PatternCatalogue {

    /** Every pattern type, in the order of patterns.md. */
    public static final List<PatternDefinition> DEFINITIONS =
            List.of(
                    BruteForceLogin.DEFINITION,
                    AccountTakeover.DEFINITION,
                    CardTesting.DEFINITION,
                    ImpossibleTravel.DEFINITION,
                    Velocity.DEFINITION,
                    Structuring.DEFINITION,
                    MoneyMule.DEFINITION,
                    DormantAccount.DEFINITION,
                    NewPayeeDrain.DEFINITION);

    public static final String DEFAULT_RESOURCE = "/patterns-default.yaml";

    private static final Set<String> PATTERN_KEYS =
            Set.of("id", "type", "enabled", "severity", "window", "parameters");

    private final String version;
    private final List<PatternConfig> configs;

    private PatternCatalogue(String version, List<PatternConfig> configs) {
        this.version = version;
        this.configs = List.copyOf(configs);
    }

    /** The shipped defaults: patterns.md exactly. */
    public static PatternCatalogue defaults() {
        try (InputStream in = PatternCatalogue.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and validates a pattern file. */
    public static PatternCatalogue load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pattern file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates pattern YAML.
     *
     * @throws IllegalArgumentException naming the source, the pattern and the parameter at fault
     */
    public static PatternCatalogue parse(String yaml, String source) {
        ObjectMapper mapper =
                new ObjectMapper(new YAMLFactory())
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode root;
        try {
            root = mapper.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    source + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    source + ": expected a mapping with version and patterns");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("version") && !key.equals("patterns")) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "'");
            }
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.isValueNode() || versionNode.asText().isBlank()) {
            throw new IllegalArgumentException(source + ": 'version' is required");
        }
        String fileVersion = versionNode.asText().trim();
        JsonNode patterns = root.get("patterns");
        if (patterns == null || !patterns.isArray()) {
            throw new IllegalArgumentException(source + ": 'patterns' must be a list");
        }
        Map<String, PatternConfig> byId = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : patterns) {
            PatternConfig config =
                    parsePattern(node, fileVersion, source + ": patterns[" + index + "]");
            if (byId.put(config.id(), config) != null) {
                throw new IllegalArgumentException(
                        source + ": pattern " + config.id() + " is defined twice");
            }
            index++;
        }
        return new PatternCatalogue(fileVersion, new ArrayList<>(byId.values()));
    }

    private static PatternConfig parsePattern(JsonNode node, String fileVersion, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping");
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": 'id' is required");
        }
        String id = idNode.asText().trim();
        String at = where + " (" + id + ")";
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!PATTERN_KEYS.contains(key)) {
                throw new IllegalArgumentException(at + ": unknown key '" + key + "'");
            }
        }
        String type = node.hasNonNull("type") ? node.get("type").asText().trim() : id;
        PatternDefinition definition = definition(type);
        if (definition == null) {
            throw new IllegalArgumentException(
                    at + ": unknown pattern type '" + type + "'; known types: " + typeNames());
        }
        boolean enabled = true;
        if (node.has("enabled")) {
            if (!node.get("enabled").isBoolean()) {
                throw new IllegalArgumentException(at + ": 'enabled' must be true or false");
            }
            enabled = node.get("enabled").asBoolean();
        }
        Severity severity = definition.severity();
        if (node.has("severity")) {
            String s = node.get("severity").asText().trim();
            try {
                severity = Severity.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        at + ": severity '" + s + "' is not one of LOW, MEDIUM, HIGH, CRITICAL");
            }
        }
        Duration window = definition.window();
        if (node.has("window")) {
            try {
                window = ParameterSpec.parseDuration(node.get("window").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": window " + e.getMessage());
            }
        }
        JsonNode params = node.get("parameters");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new IllegalArgumentException(at + ": 'parameters' must be a mapping");
        }
        Map<String, String> values = new TreeMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            JsonNode value = params == null ? null : params.get(spec.name());
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(
                        at
                                + ": parameter '"
                                + spec.name()
                                + "' is missing ("
                                + spec.type()
                                + ", default "
                                + spec.defaultValue()
                                + ")");
            }
            if (!value.isValueNode() || value.isBoolean()) {
                throw new IllegalArgumentException(
                        at + ": parameter '" + spec.name() + "' must be a " + spec.type());
            }
            if (spec.type() == ParameterSpec.Type.COUNT
                    && value.isNumber()
                    && !value.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        at
                                + ": parameter '"
                                + spec.name()
                                + "' must be a whole number, not "
                                + value);
            }
            String text =
                    value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
            try {
                values.put(spec.name(), ParameterSpec.canonical(spec.type(), text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        at + ": parameter '" + spec.name() + "' " + e.getMessage());
            }
        }
        if (params != null) {
            for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException(
                            at
                                    + ": unknown parameter '"
                                    + name
                                    + "' for type "
                                    + type
                                    + "; known: "
                                    + parameterNames(definition));
                }
            }
        }
        String canonical =
                type + "|" + severity + "|" + ParameterSpec.formatDuration(window) + "|" + values;
        String version = fileVersion + "-" + shortHash(canonical);
        return new PatternConfig(id, type, enabled, severity, window, values, version);
    }

    public static PatternDefinition definition(String type) {
        for (PatternDefinition d : DEFINITIONS) {
            if (d.type().equals(type)) {
                return d;
            }
        }
        return null;
    }

    private static String typeNames() {
        List<String> names = new ArrayList<>();
        for (PatternDefinition d : DEFINITIONS) {
            names.add(d.type());
        }
        return String.join(", ", names);
    }

    private static String parameterNames(PatternDefinition d) {
        List<String> names = new ArrayList<>();
        for (ParameterSpec p : d.parameters()) {
            names.add(p.name());
        }
        return String.join(", ", names);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The file's version. */
    public String version() {
        return version;
    }

    /** Every configured pattern, enabled or not, in file order. */
    public List<PatternConfig> configs() {
        return configs;
    }

    /** The enabled patterns, built. */
    public List<FraudPattern> enabledPatterns() {
        List<FraudPattern> patterns = new ArrayList<>();
        for (PatternConfig c : configs) {
            if (c.enabled()) {
                patterns.add(definition(c.type()).factory().apply(c));
            }
        }
        return patterns;
    }

    /** The decider's view of the enabled patterns. */
    public List<AlertPolicy> alertPolicies() {
        List<AlertPolicy> policies = new ArrayList<>();
        for (PatternConfig c : configs) {
            if (c.enabled()) {
                policies.add(c.alertPolicy());
            }
        }
        return policies;
    }

    /** A copy with only the given pattern ids enabled (for tests and focused backtests). */
    public PatternCatalogue only(String... ids) {
        Set<String> keep = Set.of(ids);
        List<PatternConfig> copy = new ArrayList<>();
        for (PatternConfig c : configs) {
            copy.add(
                    new PatternConfig(
                            c.id(),
                            c.type(),
                            keep.contains(c.id()),
                            c.severity(),
                            c.window(),
                            c.parameters(),
                            c.version()));
        }
        return new PatternCatalogue(version, copy);
    }
}
