package io.fraudcep.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a version 1 pattern file (the {@code patterns:} file of patterns.md's catalogue) as rules:
 * each listed pattern becomes its default rule of {@code rules-default.yaml} with the file's {@code
 * enabled}, {@code severity}, {@code window} and {@code parameters} applied (the parameter names
 * are the rules' {@code params}). Patterns the file does not list do not run, as in version 1. A
 * pattern that has no default rule is an error that says how to write it by hand.
 */
public final class V1PatternFiles {

    private static final List<String> FILE_KEYS = List.of("version", "patterns");
    private static final List<String> PATTERN_KEYS =
            List.of("id", "type", "enabled", "severity", "window", "parameters");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private V1PatternFiles() {}

    /**
     * Converts a version 1 pattern file's text into validated rules.
     *
     * @throws RuleFileException listing every error, or saying the text is not a version 1 file
     */
    public static RuleSet convert(String text, String fileName) {
        List<RuleError> errors = new ArrayList<>();
        SourceNode root = SourceNode.read(text, fileName, errors);
        if (root != null && !isV1(root)) {
            errors.add(
                    new RuleError(
                            fileName,
                            root.line(),
                            null,
                            null,
                            "not a version 1 pattern file (version \"1\" with a patterns list)"));
        }
        if (errors.isEmpty()) {
            return RuleFiles.parse(text, fileName);
        }
        throw new RuleFileException(errors);
    }

    /** True if the tree is a version 1 pattern file: it has {@code patterns} or version "1". */
    static boolean isV1(SourceNode root) {
        if (root.kind() != SourceNode.Kind.MAP) {
            return false;
        }
        // By its shape, not its version: a rule file's version is the author's to choose ("1"
        // included); a pattern file lists patterns.
        return root.get("patterns") != null && root.get("rules") == null;
    }

    /** The sentence that tells the user a version 1 file was converted. */
    static String warning(String fileName, RuleSet rules) {
        return fileName
                + ": a version 1 pattern file, read as "
                + rules.rules().size()
                + " default rules of rules-default.yaml with its enabled, severity, window and"
                + " parameters; write it as a version 2 rule file (rules.md) to drop this warning";
    }

    /**
     * The version 2 tree of a version 1 file: its patterns as the default rules with its settings.
     *
     * @return the tree, or null if errors were added
     */
    static SourceNode toV2(SourceNode root, String fileName, List<RuleError> errors) {
        int before = errors.size();
        for (String key : root.fields().keySet()) {
            if (!FILE_KEYS.contains(key)) {
                errors.add(
                        new RuleError(
                                fileName,
                                root.keyLine(key),
                                null,
                                key,
                                "unknown key '"
                                        + key
                                        + "' in a version 1 pattern file (allowed: version,"
                                        + " patterns)"));
            }
        }
        SourceNode version = root.get("version");
        if (version == null || !version.isScalar() || !"1".equals(version.text())) {
            errors.add(
                    new RuleError(
                            fileName,
                            version == null ? root.line() : version.line(),
                            null,
                            "version",
                            "a file with patterns is a version 1 pattern file and needs version:"
                                    + " \"1\"; a version 2 rule file has rules instead"));
        }
        SourceNode patterns = root.get("patterns");
        List<SourceNode> rules = new ArrayList<>();
        if (patterns == null || patterns.kind() != SourceNode.Kind.LIST) {
            errors.add(
                    new RuleError(
                            fileName,
                            patterns == null ? root.line() : patterns.line(),
                            null,
                            "patterns",
                            "expected a list of patterns"));
        } else {
            for (int i = 0; i < patterns.items().size(); i++) {
                SourceNode rule = convert(patterns.items().get(i), i, fileName, errors);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (errors.size() != before) {
            return null;
        }
        Map<String, SourceNode> file = new LinkedHashMap<>();
        file.put("version", SourceNode.scalar(SourceNode.Kind.STRING, version.line(), "1"));
        file.put("rules", SourceNode.list(patterns.line(), rules));
        return SourceNode.map(root.line(), file);
    }

    private static SourceNode convert(
            SourceNode pattern, int index, String fileName, List<RuleError> errors) {
        if (pattern.kind() != SourceNode.Kind.MAP) {
            errors.add(
                    new RuleError(
                            fileName,
                            pattern.line(),
                            null,
                            "patterns[" + index + "]",
                            "expected a pattern (a mapping with id), found " + pattern.describe()));
            return null;
        }
        SourceNode idNode = pattern.get("id");
        if (idNode == null || idNode.kind() != SourceNode.Kind.STRING) {
            errors.add(
                    new RuleError(
                            fileName,
                            pattern.line(),
                            null,
                            "patterns[" + index + "].id",
                            "missing: every pattern needs an id"));
            return null;
        }
        String id = idNode.text();
        int before = errors.size();
        for (String key : pattern.fields().keySet()) {
            if (!PATTERN_KEYS.contains(key)) {
                errors.add(
                        new RuleError(
                                fileName,
                                pattern.keyLine(key),
                                id,
                                key,
                                "unknown key '"
                                        + key
                                        + "' (allowed in a version 1 pattern: "
                                        + String.join(", ", PATTERN_KEYS)
                                        + ")"));
            }
        }
        SourceNode typeNode = pattern.get("type");
        String type = typeNode != null && typeNode.isScalar() ? typeNode.text() : id;
        SourceNode template = defaultRule(type);
        Rule defaults = RuleFiles.defaults().rule(type);
        if (template == null || defaults == null) {
            errors.add(
                    new RuleError(
                            fileName,
                            typeNode != null ? typeNode.line() : idNode.line(),
                            id,
                            typeNode != null ? "type" : "id",
                            "version 1 had no pattern "
                                    + type
                                    + " (it knew "
                                    + String.join(", ", defaultIds())
                                    + "), so there is no default rule to convert it from;"
                                    + " convert the file by hand: write version: \"2\" and"
                                    + " rules:, copy the closest rule of rules-default.yaml,"
                                    + " give it this id and set its params (rules.md)"));
            return null;
        }
        Map<String, SourceNode> rule = new LinkedHashMap<>(template.fields());
        rule.put("id", idNode);
        SourceNode enabled = pattern.get("enabled");
        if (enabled != null) {
            if (enabled.kind() == SourceNode.Kind.BOOL) {
                String mode = Boolean.parseBoolean(enabled.text()) ? "active" : "disabled";
                rule.put("mode", SourceNode.scalar(SourceNode.Kind.STRING, enabled.line(), mode));
            } else {
                errors.add(
                        new RuleError(
                                fileName,
                                enabled.line(),
                                id,
                                "enabled",
                                "expected true or false, found " + enabled.describe()));
            }
        }
        for (String key : List.of("severity", "window")) {
            if (pattern.get(key) != null) {
                rule.put(key, pattern.get(key));
            }
        }
        SourceNode parameters = pattern.get("parameters");
        if (parameters != null) {
            List<RuleError> problems = paramErrors(parameters, defaults, fileName, id);
            if (problems.isEmpty()) {
                rule.put("params", params(parameters, template.get("params"), defaults));
            } else {
                errors.addAll(problems);
            }
        }
        return errors.size() == before ? SourceNode.map(pattern.line(), rule) : null;
    }

    /** The default rule's params with the file's (checked) values. */
    private static SourceNode params(
            SourceNode parameters, SourceNode defaultParams, Rule defaults) {
        Map<String, SourceNode> params = new LinkedHashMap<>(defaultParams.fields());
        for (Map.Entry<String, SourceNode> e : parameters.fields().entrySet()) {
            SourceNode v = e.getValue();
            params.put(e.getKey(), converted(v, defaults.params().get(e.getKey()).kind()));
        }
        return SourceNode.map(parameters.line(), params);
    }

    /** A version 1 value as the scalar a version 2 file would have written for its kind. */
    private static SourceNode converted(SourceNode v, ParamValue.Kind kind) {
        switch (kind) {
            case INT:
                return SourceNode.scalar(SourceNode.Kind.INT, v.line(), v.text().trim());
            case DECIMAL:
                return SourceNode.scalar(SourceNode.Kind.DECIMAL, v.line(), v.text().trim());
            default:
                return SourceNode.scalar(SourceNode.Kind.STRING, v.line(), v.text().trim());
        }
    }

    /** What is wrong with a pattern's parameters, against its default rule's params. */
    private static List<RuleError> paramErrors(
            SourceNode parameters, Rule defaults, String fileName, String id) {
        List<RuleError> errors = new ArrayList<>();
        if (parameters.kind() != SourceNode.Kind.MAP) {
            errors.add(
                    new RuleError(
                            fileName,
                            parameters.line(),
                            id,
                            "parameters",
                            "expected a mapping of names to values, found "
                                    + parameters.describe()));
            return errors;
        }
        for (Map.Entry<String, SourceNode> e : parameters.fields().entrySet()) {
            String name = e.getKey();
            SourceNode v = e.getValue();
            ParamValue known = defaults.params().get(name);
            String field = "parameters." + name;
            if (known == null) {
                errors.add(
                        new RuleError(
                                fileName,
                                parameters.keyLine(name),
                                id,
                                field,
                                "unknown parameter of "
                                        + defaults.id()
                                        + " (known: "
                                        + String.join(", ", defaults.params().keySet())
                                        + ")"));
                continue;
            }
            String problem = problem(v, known.kind());
            if (problem != null) {
                errors.add(new RuleError(fileName, v.line(), id, field, problem));
            }
        }
        return errors;
    }

    private static String problem(SourceNode v, ParamValue.Kind kind) {
        boolean scalar = v.isScalar() && v.kind() != SourceNode.Kind.NULL;
        String text = scalar ? v.text().trim() : "";
        switch (kind) {
            case INT:
                return scalar && text.matches("-?\\d+")
                        ? null
                        : "expected a whole number, found " + v.describe();
            case DECIMAL:
                return scalar && v.kind() != SourceNode.Kind.BOOL && NUMBER.matcher(text).matches()
                        ? null
                        : "expected a decimal number like 5.00, found " + v.describe();
            case DURATION:
                if (v.kind() != SourceNode.Kind.STRING) {
                    return "expected a duration like 90d, found " + v.describe();
                }
                try {
                    Durations.parse(text);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            default:
                return null;
        }
    }

    private static SourceNode defaultRule(String id) {
        for (SourceNode rule : RuleFiles.defaultsSource().get("rules").items()) {
            SourceNode ruleId = rule.get("id");
            if (ruleId != null && id.equals(ruleId.text())) {
                return rule;
            }
        }
        return null;
    }

    private static List<String> defaultIds() {
        List<String> ids = new ArrayList<>();
        for (Rule r : RuleFiles.defaults().rules()) {
            ids.add(r.id());
        }
        return ids;
    }
}
